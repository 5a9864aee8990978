using System.Globalization;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Http;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;

namespace LipService.Api.Tests.Browser;

/// <summary>
/// The page at / in a real browser against the real service: draw a digit and see a label with a
/// radius and an attack; drop a PNG; start a two-epoch job and watch its charts fill; cancel a job;
/// choose the default model; upload a dataset and train on it (WebPageDatasetTests.cs). Each test
/// also checks that no request left the machine, and saves a screenshot of what it saw into
/// artifacts/screenshots.
/// </summary>
[Collection(nameof(WebPageTests))]
public sealed partial class WebPageTests(BrowserSession browser) : IClassFixture<BrowserSession>
{
    [Fact]
    public async Task DrawingAStrokeGivesALabelACertifiedRadiusAndAnAttack()
    {
        string modelId = await EnsureModelAsync();
        browser.Open("#try");
        ChooseTryModel(modelId);

        // A "1": one stroke down the middle of the pad.
        var pad = browser.Find("#pad");
        new Actions(browser.Driver).MoveToElement(pad, 0, -90).ClickAndHold().MoveByOffset(4, 60).MoveByOffset(2, 60).MoveByOffset(0, 60).Release().Perform();

        string label = browser.Until(_ => Visible("#answer-body") ? browser.Text("[data-testid=label]") : null, what: "a label after the stroke")!;
        Assert.Contains(label, new[] { "0", "8" });
        double radius = double.Parse(browser.Text("[data-testid=radius]"), CultureInfo.InvariantCulture);
        Assert.True(radius >= 0);
        Assert.Contains("No change of this image smaller than", browser.Text("#answer-words"));
        // The attack runs on what the model saw and reports the gap to the proven radius.
        string attack = browser.Until(_ => Visible("#attack-body") ? browser.Text("[data-testid=attack-words]") : null, 90, "the attack's answer")!;
        Assert.Contains(radius.ToString("F3", CultureInfo.InvariantCulture), attack);
        browser.Screenshot("try-it");
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public async Task ADroppedPngIsClassified()
    {
        string modelId = await EnsureModelAsync();
        browser.Open("#try");
        ChooseTryModel(modelId);
        string png = Convert.ToBase64String(await File.ReadAllBytesAsync(RepositoryPaths.File("samples", "digit-0.png")));
        // A real drop event with a DataTransfer holding the file, as a file dragged from the desktop makes.
        browser.Driver.ExecuteScript("""
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], 'digit-0.png', { type: 'image/png' }));
            const zone = document.getElementById('drop-zone');
            zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
            zone.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            """, png);
        string label = browser.Until(_ => Visible("#answer-body") ? browser.Text("[data-testid=label]") : null, what: "a label for the dropped PNG")!;
        Assert.Equal("0", label); // samples/digit-0.png is MNIST test digit 3, a 0
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public void ATwoEpochJobFillsTheChartsAndEnds()
    {
        browser.Open("#train");
        browser.Until(d => d.FindElements(By.CssSelector("#preset option")).Count >= 4, what: "the presets from GET /presets");
        SetField("epochs", "2");
        SetField("seed", "7");

        // Without the key the service refuses, and the page says what to do.
        ForgetKey();
        browser.Click("#start-job");
        browser.Until(_ => browser.Find("#toast").Displayed && browser.Text("#toast").Contains("API key"), what: "the API-key hint");
        SetKey(BrowserSession.ApiKey);
        browser.Click("#start-job");

        browser.Until(_ => browser.Text("[data-testid=job-status]") == "succeeded", 180, "the job to succeed");
        // One dot per epoch for training and one for validation.
        browser.Until(d => d.FindElements(By.CssSelector("#chart-loss circle")).Count == 4, what: "two epochs on the loss chart");
        Assert.Equal(4, browser.FindAll("#chart-accuracy circle").Count);
        Assert.Contains("See the model", browser.Text("#live-note"));
        Assert.Contains(browser.FindAll("#jobs-table tbody tr"), row => row.Text.Contains("succeeded") && row.Text.Contains("2 / 2"));
        browser.Screenshot("train");
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public void ARunningJobCanBeCancelled()
    {
        browser.Open("#train");
        browser.Until(d => d.FindElements(By.CssSelector("#preset option")).Count >= 4, what: "the presets");
        SetKey(BrowserSession.ApiKey);
        SetField("epochs", "300");
        browser.Click("#start-job");
        browser.Until(_ => browser.Text("[data-testid=job-status]") == "running" && browser.FindAll("#chart-loss circle").Count >= 2, 180, "the job to run an epoch");
        browser.Click("#cancel-job");
        browser.Until(_ => browser.Text("[data-testid=job-status]") == "cancelled", 120, "the job to be cancelled");
        Assert.Contains("cancelled", browser.Text("#live-note"));
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public async Task TheModelsPageShowsTheCurveAndSetsTheDefault()
    {
        string modelId = await EnsureModelAsync();
        SetKeyThroughPage();
        browser.Open($"#models/{modelId}");
        browser.Until(d => d.FindElements(By.CssSelector("#chart-certified path.series")).Count == 1, what: "the certified-accuracy curve");
        var makeDefault = browser.Until(d => d.FindElements(By.CssSelector("#model-detail button.primary")).FirstOrDefault(), what: "the default button")!;
        if (makeDefault.Enabled) browser.Click(makeDefault);
        browser.Until(_ => browser.Text("#model-detail h2").Contains("default"), what: "the model marked default");
        var aliases = JsonNode.Parse(await browser.Api.GetStringAsync("/aliases"))!;
        Assert.Equal(modelId, aliases["defaultModelId"]!.GetValue<string>());
        browser.Screenshot("models");

        // A phone's width: one column, nothing cut off sideways.
        browser.Resize(390, 844);
        browser.Open("#try");
        browser.Until(d => d.FindElements(By.CssSelector("#try-model option")).Count > 1, what: "the model picker");
        long overflow = Convert.ToInt64(browser.Driver.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"), CultureInfo.InvariantCulture);
        Assert.True(overflow <= 0, $"the page scrolls sideways by {overflow} px at 390 px wide");
        browser.Screenshot("try-it-phone");
        browser.Resize(1360, 1000);
        browser.AssertNothingLeftTheMachine();
    }

    /// <summary>An MNIST model (the dataset tests train others, which answer in other classes).</summary>
    private async Task<string> EnsureModelAsync()
    {
        var models = JsonNode.Parse(await browser.Api.GetStringAsync("/models?limit=500"))!;
        var mnist = models["items"]!.AsArray().FirstOrDefault(m => m!["spec"]!["dataset"]!.GetValue<string>() == "mnist");
        if (mnist is not null) return mnist["id"]!.GetValue<string>();
        var job = await browser.Api.TrainAsync("""{"epochs": 3, "seed": 1}""", TimeSpan.FromMinutes(3));
        return job["modelId"]!.GetValue<string>();
    }

    /// <summary>Picks a model by id in the Try it picker, once the picker lists it.</summary>
    private void ChooseTryModel(string modelId) => browser.Until(d =>
    {
        // The picker may be refilled meanwhile (a stale option is retried).
        var option = d.FindElements(By.CssSelector($"#try-model option[value='{modelId}']")).FirstOrDefault();
        if (option is null) return false;
        if (!option.Selected) option.Click();
        return option.Selected;
    }, what: $"the model picker to list and choose {modelId}");

    /// <summary>Chooses an option of a select as a person would (the select fires change).</summary>
    private void Choose(string selectCss, string value)
    {
        var option = browser.Find($"{selectCss} option[value='{value}']");
        if (!option.Selected) option.Click();
    }

    private bool Visible(string css) => browser.FindAll(css).FirstOrDefault()?.Displayed == true;

    private void SetField(string name, string value)
    {
        var input = browser.Find($"#spec-form [name={name}]");
        input.Clear();
        input.SendKeys(value);
    }

    private void ForgetKey() => browser.Driver.ExecuteScript("localStorage.removeItem('lipservice.apiKey')");

    /// <summary>Through the page's own dialog, as a person would.</summary>
    private void SetKey(string key)
    {
        browser.Click("#key-button");
        var input = browser.Until(_ => browser.Find("#key-input").Displayed ? browser.Find("#key-input") : null, what: "the key dialog")!;
        input.Clear();
        input.SendKeys(key);
        browser.Click("#key-form button[value=save]");
        browser.Until(_ => browser.Text("#key-button").Contains('✓'), what: "the key kept");
    }

    private void SetKeyThroughPage()
    {
        browser.Open("#try");
        SetKey(BrowserSession.ApiKey);
    }
}

[CollectionDefinition(nameof(WebPageTests))]
public sealed class WebPageCollection;
