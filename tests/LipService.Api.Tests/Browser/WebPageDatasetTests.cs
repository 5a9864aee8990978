using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using LipService.Api.Tests.Datasets;
using LipService.Api.Tests.EndToEnd;
using LipService.Api.Tests.Http;
using OpenQA.Selenium;
using OpenQA.Selenium.Interactions;
using SkiaSharp;

namespace LipService.Api.Tests.Browser;

/// <summary>
/// The Datasets tab in a real browser: a zip of two folders of 12×12 PNGs uploads with a progress
/// bar and is listed with its classes, thumbnails and radius units; "Train on this" opens the Train
/// form on it; a refused upload shows the service's own words; a model trained on it answers with
/// its class names and says which images it takes; a dataset in use is not deleted, and says why.
/// </summary>
public sealed partial class WebPageTests
{
    private static readonly string[] ShapeNames = ["circle", "square"];

    [Fact]
    public void TheDatasetsTabUploadsAZipAndListsItWithThumbnails()
    {
        using var files = new TempFolder("lipservice-page-data-");
        string zip = Path.Combine(files.Path, "shapes.zip");
        File.WriteAllBytes(zip, ShapesZip(perClass: 10, seed: 0));
        SetKeyThroughPage();
        browser.Open("#datasets");

        browser.Find("#upload-file").SendKeys(zip);
        browser.Find("#upload-form [name=name]").SendKeys("Shapes from the page");
        browser.Find("#upload-form [name=validationFraction]").SendKeys("0.2");
        browser.Click("#upload-button");

        var card = browser.Until(_ => browser.FindAll("#dataset-list article.dataset").FirstOrDefault(a => a.FindElement(By.CssSelector("h3")).Text == "Shapes from the page"),
            what: "the uploaded dataset in the list")!;
        // The bar ran to its end and says what was stored.
        Assert.Null(browser.Find("#upload-progress").GetAttribute("hidden"));
        Assert.Equal("1", browser.Find("#upload-bar").GetAttribute("value"));
        Assert.Contains("Stored “Shapes from the page”: 20 images in 2 classes", browser.Text("#upload-progress-text"));
        Assert.Equal("", browser.Text("#upload-errors"));

        string id = card.GetAttribute("data-dataset")!;
        Assert.StartsWith("ds-", id);
        string facts = card.FindElement(By.CssSelector("dl.facts")).Text;
        Assert.Contains(id, facts);
        Assert.Contains("12×12 pixels, grayscale: 1×12×12 values", facts);
        Assert.Contains("16 training · 4 validation", facts);
        // The radius units, in the service's words.
        Assert.Contains("L2 distance over the 144 values (1×12×12) of an image", facts);

        // One row per class, by label (folders sorted by name), each with thumbnails of its own size.
        var rows = card.FindElements(By.CssSelector("table.class-table tbody tr"));
        Assert.Equal(ShapeNames, rows.Select(r => r.FindElement(By.CssSelector("th")).Text));
        Assert.Equal(["0", "1"], rows.Select(r => r.GetAttribute("data-label")));
        Assert.All(rows, row => Assert.Equal(["8", "2"], row.FindElements(By.CssSelector("td")).Skip(1).Take(2).Select(c => c.Text)));
        foreach (var row in rows)
        {
            var thumbnails = row.FindElements(By.CssSelector("img.thumb"));
            Assert.NotEmpty(thumbnails);
            Assert.All(thumbnails, img => Assert.Equal(12L, browser.Until(_ => browser.Driver.ExecuteScript("return arguments[0].complete ? arguments[0].naturalWidth : null;", img), what: "a decoded thumbnail")));
            Assert.Contains(row.FindElement(By.CssSelector("th")).Text, thumbnails[0].GetAttribute("alt"));
        }
        browser.Screenshot("datasets");
        // A phone's width: one column, nothing cut off sideways.
        browser.Resize(390, 844);
        long overflow = Convert.ToInt64(browser.Driver.ExecuteScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;"), CultureInfo.InvariantCulture);
        Assert.True(overflow <= 0, $"the Datasets tab scrolls sideways by {overflow} px at 390 px wide");
        browser.Screenshot("datasets-phone");
        browser.Resize(1360, 1000);

        // "Train on this": the Train form with this dataset chosen and all its classes checked, by name.
        browser.Click(card.FindElement(By.CssSelector("button[data-action=train]")));
        browser.Until(_ => browser.Driver.Url.EndsWith("#train", StringComparison.Ordinal) && DatasetChoice() == id, what: "the Train form on the dataset");
        Assert.Contains(browser.FindAll("#spec-form [name=dataset] optgroup option"), o => o.GetAttribute("value") == id && o.Text.StartsWith("Shapes from the page · 1×12×12", StringComparison.Ordinal));
        browser.Until(_ => browser.FindAll("#class-boxes label").Select(l => l.Text).SequenceEqual(ShapeNames), what: "the class boxes named by the dataset");
        Assert.All(browser.FindAll("#class-boxes input"), box => Assert.True(box.Selected));
        Assert.Contains("12×12", browser.Text("#dataset-note"));

        // Back to MNIST: its digits and the preset's classes.
        Choose("#spec-form [name=dataset]", "mnist");
        Assert.Equal(10, browser.FindAll("#class-boxes label").Count);
        Assert.Equal(["0", "8"], browser.FindAll("#class-boxes input").Where(b => b.Selected).Select(b => b.GetAttribute("value")));
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public void AnIdxUploadSendsItsLabelsFileAndNamesItsClassesByLabel()
    {
        using var files = new TempFolder("lipservice-page-data-");
        string images = Path.Combine(files.Path, "images-idx3-ubyte");
        string labels = Path.Combine(files.Path, "labels-idx1-ubyte");
        File.WriteAllBytes(images, Datasets.IdxFiles.Images(30, 10, 10));
        File.WriteAllBytes(labels, Datasets.IdxFiles.CyclingLabels(30));
        SetKeyThroughPage();
        browser.Open("#datasets");
        // The labels field belongs to IDX: hidden until IDX is chosen.
        Assert.False(browser.Find("#upload-labels").Displayed);
        browser.Click("#upload-form input[name=format][value=idx]");
        Assert.True(browser.Find("#upload-labels").Displayed);
        Assert.Contains("IDX", browser.Text("#format-note"));

        browser.Find("#upload-file").SendKeys(images);
        browser.Find("#upload-labels").SendKeys(labels);
        browser.Find("#upload-form [name=name]").SendKeys("IDX from the page");
        browser.Click("#upload-button");
        var card = browser.Until(_ => browser.FindAll("#dataset-list article.dataset").FirstOrDefault(a => a.FindElement(By.CssSelector("h3")).Text == "IDX from the page"),
            what: "the IDX dataset in the list")!;
        Assert.Contains("idx", card.FindElement(By.CssSelector("dl.facts")).Text);
        Assert.Equal(["0", "1", "2"], card.FindElements(By.CssSelector("table.class-table tbody th")).Select(th => th.Text));
        Assert.Contains("L2 distance over the 100 values (1×10×10)", card.Text);
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public async Task ARefusedUploadShowsTheServicesMessage()
    {
        using var files = new TempFolder("lipservice-page-data-");
        string zip = Path.Combine(files.Path, "one-class.zip");
        byte[] oneClass = Zip([("circle/0.png", ShapePng("circle", 0)), ("circle/1.png", ShapePng("circle", 1))]);
        File.WriteAllBytes(zip, oneClass);
        // What the service says to the same upload.
        using var form = new MultipartFormDataContent { { new ByteArrayContent(oneClass), "file", "one-class.zip" } };
        var refused = await browser.Api.PostAsync("/datasets", form);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        string message = (await refused.JsonAsync())["errors"]!["file"]![0]!.GetValue<string>();

        SetKeyThroughPage();
        browser.Open("#datasets");
        browser.Find("#upload-file").SendKeys(zip);
        browser.Click("#upload-button");
        var item = browser.Until(_ => browser.FindAll("#upload-errors li[data-field=file]").FirstOrDefault(), what: "the service's message")!;
        Assert.Equal($"Images file: {message}", item.Text);
        Assert.Contains("one class", message);
        Assert.Equal("true", browser.Find("#upload-file").GetAttribute("aria-invalid"));
        Assert.NotNull(browser.Find("#upload-progress").GetAttribute("hidden"));

        // Without the key the page says what to do.
        ForgetKey();
        browser.Click("#upload-button");
        browser.Until(_ => browser.Text("#upload-errors").Contains("API key"), what: "the API-key hint");

        // No file at all: said before anything is sent.
        browser.Driver.Navigate().Refresh();
        browser.Until(_ => browser.Find("#section-datasets").Displayed, what: "the Datasets tab again");
        browser.Click("#upload-button");
        browser.Until(_ => browser.Text("#upload-errors").Contains("Choose the file"), what: "the missing-file hint");
        browser.AssertNothingLeftTheMachine();
    }

    [Fact]
    public async Task AModelTrainedOnAnUploadedDatasetAnswersWithItsClassNames()
    {
        string datasetId = await UploadAsync(ShapesZip(perClass: 12, seed: 1), "shapes-for-training");
        SetKeyThroughPage();
        browser.Open("#datasets");
        var train = browser.Until(_ => browser.FindAll($"article[data-dataset='{datasetId}'] button[data-action=train]").FirstOrDefault(), what: "the dataset's Train button")!;
        browser.Click(train);
        browser.Until(_ => DatasetChoice() == datasetId, what: "the Train form on the dataset");
        SetField("epochs", "3");
        SetField("seed", "5");
        browser.Click("#start-job");
        string jobId = browser.Until(d => d.Url.Contains("#train/", StringComparison.Ordinal) ? d.Url.Split("#train/")[1] : null, what: "the new job's address")!;
        var job = await browser.Api.WaitForEndAsync(jobId, TimeSpan.FromMinutes(3));
        ApiClient.AssertStatus(job, "succeeded");
        string modelId = job["modelId"]!.GetValue<string>();
        browser.Until(_ => browser.Text("[data-testid=job-status]") == "succeeded" && browser.Find("#live-note a").GetAttribute("href")!.EndsWith($"#models/{modelId}", StringComparison.Ordinal),
            what: "the page to link the new model");
        var model = JsonNode.Parse(await browser.Api.GetStringAsync($"/models/{modelId}"))!;
        // The form posted the dataset's id, and the classes were all of its labels.
        Assert.Equal(datasetId, model["spec"]!["dataset"]!.GetValue<string>());
        Assert.Equal(ShapeNames, model["classNames"]!.AsArray().Select(n => n!.GetValue<string>()));

        // Try it: the picker names the classes, the note says which images the model takes.
        browser.Open("#try");
        ChooseTryModel(modelId);
        Assert.Contains("circle vs square", browser.Find($"#try-model option[value='{modelId}']").Text);
        browser.Until(_ => browser.Text("#try-model-note").Contains("12×12"), what: "the note on the model's image size");
        var pad = browser.Find("#pad");
        new Actions(browser.Driver).MoveToElement(pad, -60, -60).ClickAndHold().MoveByOffset(120, 0).MoveByOffset(0, 120).MoveByOffset(-120, 0).MoveByOffset(0, -120).Release().Perform();
        string label = browser.Until(_ => Visible("#answer-body") ? browser.Text("[data-testid=label]") : null, what: "a class name for the drawing")!;
        Assert.Contains(label, ShapeNames);
        Assert.Equal($"label {Array.IndexOf(ShapeNames, label)}", browser.Text("[data-testid=label-number]"));
        Assert.Equal("What the model saw (12×12)", browser.Text("#seen-caption"));
        Assert.Equal(12L, browser.Driver.ExecuteScript("return document.getElementById('seen').width;"));
        Assert.Contains(browser.FindAll("#scores .name"), n => n.Text == "circle");
        double radius = double.Parse(browser.Text("[data-testid=radius]"), CultureInfo.InvariantCulture);
        Assert.Contains("1×12×12", browser.Text("#answer-words"));
        string attack = browser.Until(_ => Visible("#attack-body") ? browser.Text("[data-testid=attack-words]") : null, 90, "the attack's answer")!;
        Assert.Contains(radius.ToString("F3", CultureInfo.InvariantCulture), attack);
        browser.Screenshot("try-it-uploaded");

        // A digit of another size is not for this model: the service's 400 says so on the page.
        string png = Convert.ToBase64String(await File.ReadAllBytesAsync(RepositoryPaths.File("samples", "digit-0.png")));
        browser.Driver.ExecuteScript("""
            const bytes = Uint8Array.from(atob(arguments[0]), c => c.charCodeAt(0));
            const data = new DataTransfer();
            data.items.add(new File([bytes], 'digit-0.png', { type: 'image/png' }));
            document.getElementById('drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
            """, png);
        browser.Until(_ => browser.Find("#toast").Displayed && browser.Text("#toast").Contains("'digit-0.png' is 112×112 pixels") && browser.Text("#toast").Contains("whose images are 12×12"),
            what: "the service's message on the image size");

        // A dataset a job trains on is not deleted: the page shows the service's 409. (A thousand epochs of
        // single-image steps: the job is still queued or running when the page asks.)
        var busy = await browser.Api.PostJsonAsync("/jobs", JsonSerializer.Serialize(new { dataset = datasetId, epochs = 1000, batchSize = 1, seed = 2 }));
        Assert.Equal(HttpStatusCode.Accepted, busy.StatusCode);
        string busyId = (await busy.JsonAsync())["id"]!.GetValue<string>();
        browser.Open("#datasets");
        browser.Driver.ExecuteScript("window.confirm = () => true;");
        var delete = browser.Until(_ => browser.FindAll($"article[data-dataset='{datasetId}'] button[data-action=delete]").FirstOrDefault(), what: "the dataset's Delete button")!;
        browser.Click(delete);
        browser.Until(_ => browser.Find($"article[data-dataset='{datasetId}'] .problem").Text.Contains("queued or running job"), what: "the 409 message");
        Assert.Equal(HttpStatusCode.OK, (await browser.Api.DeleteAsync($"/jobs/{busyId}")).StatusCode);
        await browser.Api.WaitForEndAsync(busyId, TimeSpan.FromMinutes(2));
        browser.Click($"article[data-dataset='{datasetId}'] button[data-action=delete]");
        browser.Until(_ => browser.FindAll($"article[data-dataset='{datasetId}']").Count == 0, what: "the dataset gone from the list");
        browser.AssertNothingLeftTheMachine();
    }

    private string? DatasetChoice() => (string?)browser.Driver.ExecuteScript("return document.querySelector('#spec-form [name=dataset]').value;");

    private async Task<string> UploadAsync(byte[] zip, string name)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(zip);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        form.Add(file, "file", $"{name}.zip");
        form.Add(new StringContent(name), "name");
        var response = await browser.Api.PostAsync("/datasets", form);
        var body = await response.JsonAsync();
        Assert.True(response.IsSuccessStatusCode, body.ToJsonString());
        return body["id"]!.GetValue<string>();
    }

    /// <summary>Folders circle/ and square/ of 12×12 grayscale PNGs: white outlines on black, moved about a little.</summary>
    private static byte[] ShapesZip(int perClass, int seed) =>
        Zip(ShapeNames.SelectMany(shape => Enumerable.Range(0, perClass).Select(i => ($"{shape}/{i:D3}.png", ShapePng(shape, i + seed)))));

    /// <summary>Drawn in colour, stored as a gray PNG (the zip reader takes one channel when every PNG is gray).</summary>
    private static byte[] ShapePng(string shape, int variant)
    {
        using var drawing = new SKBitmap(new SKImageInfo(12, 12, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(drawing))
        using (var paint = new SKPaint { Color = SKColors.White, IsAntialias = true, Style = SKPaintStyle.Stroke, StrokeWidth = 1.5f })
        {
            canvas.Clear(SKColors.Black);
            float dx = (variant % 3) - 1, dy = (variant / 3 % 3) - 1;
            if (shape == "circle") canvas.DrawCircle(6 + dx, 6 + dy, 3.5f, paint);
            else canvas.DrawRect(2.5f + dx, 2.5f + dy, 7, 7, paint);
        }
        using var gray = new SKBitmap(new SKImageInfo(12, 12, SKColorType.Gray8, SKAlphaType.Opaque));
        var rgba = drawing.GetPixelSpan();
        var pixels = gray.GetPixelSpan();
        for (int i = 0; i < pixels.Length; i++) pixels[i] = rgba[4 * i];
        using var data = gray.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    private static byte[] Zip(IEnumerable<(string Name, byte[] Body)> entries) => DatasetFiles.ZipBytes(entries.Select(e => (e.Name, (byte[]?)e.Body)));
}
