using System.Drawing;
using System.Text.Json;
using LipService.Api.Tests.EndToEnd;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace LipService.Api.Tests.Browser;

/// <summary>
/// Debian's chromium, headless, driven by Debian's chromedriver (the versions match by
/// construction), on the real service executable listening on 127.0.0.1 with an API key set.
/// The browser's performance log records every request the page makes, so a test can prove that
/// nothing left the machine.
/// </summary>
public sealed class BrowserSession : IDisposable
{
    public const string ApiKey = "page-s3cret";
    private const string Chromium = "/usr/bin/chromium";
    private const string ChromeDriver = "/usr/bin/chromedriver";

    private readonly TempFolder folder = new("lipservice-browser-");
    private readonly ServiceProcess service;
    private readonly List<string> requests = [];

    public BrowserSession()
    {
        Assert.True(File.Exists(Chromium) && File.Exists(ChromeDriver),
            "The browser tests drive Debian's chromium with its chromedriver: apt-get install chromium chromium-driver (bash .ci/run does).");
        service = ServiceProcess.StartAsync(folder.Path, "--ApiKey", ApiKey).GetAwaiter().GetResult();
        service.Client.DefaultRequestHeaders.Add("X-Api-Key", ApiKey);
        BaseUrl = $"http://127.0.0.1:{service.Port}";

        var options = new ChromeOptions { BinaryLocation = Chromium };
        // As root in a container chromium needs --no-sandbox; /dev/shm is small there.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=1360,1000", "--force-device-scale-factor=1", "--lang=en-US", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
        options.SetLoggingPreference("performance", LogLevel.All);
        var driverService = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(ChromeDriver)!, Path.GetFileName(ChromeDriver));
        driverService.SuppressInitialDiagnosticInformation = true;
        driverService.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(driverService, options, TimeSpan.FromMinutes(2));
        Driver.Manage().Timeouts().AsynchronousJavaScript = TimeSpan.FromSeconds(30);
    }

    public ChromeDriver Driver { get; }

    public string BaseUrl { get; }

    public HttpClient Api => service.Client;

    public string ServiceLog => service.Log;

    /// <summary>
    /// Loads the page afresh at <paramref name="hash"/>: by way of about:blank, since going from one
    /// address of the page to another that differs only in its hash would keep the page and its state.
    /// </summary>
    public void Open(string hash)
    {
        Driver.Navigate().GoToUrl("about:blank");
        Driver.Navigate().GoToUrl($"{BaseUrl}/{hash}");
        Until(_ => Driver.ExecuteScript("return document.readyState === 'complete'") is true);
    }

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public IReadOnlyList<IWebElement> FindAll(string css) => Driver.FindElements(By.CssSelector(css));

    /// <summary>Waits up to <paramref name="seconds"/> for a condition (CI machines are slow and shared).</summary>
    public T Until<T>(Func<IWebDriver, T> condition, int seconds = 60, string? what = null)
    {
        var wait = new WebDriverWait(Driver, TimeSpan.FromSeconds(seconds)) { Message = what ?? "" };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public string Text(string css) => Find(css).Text;

    /// <summary>Scrolls the element to the middle of the window (clear of the sticky header), then clicks it.</summary>
    public void Click(IWebElement element)
    {
        Driver.ExecuteScript("arguments[0].scrollIntoView({ block: 'center' });", element);
        element.Click();
    }

    public void Click(string css) => Click(Find(css));

    public void Resize(int width, int height) => Driver.Manage().Window.Size = new Size(width, height);

    /// <summary>
    /// A PNG of the whole page (the window grown to the page's height, toast hidden, scrolled to the
    /// top) into artifacts/screenshots; the copies in docs/screenshots come from there.
    /// </summary>
    public string Screenshot(string name)
    {
        Driver.ExecuteScript("document.getElementById('toast').hidden = true; window.scrollTo(0, 0);");
        var size = Driver.Manage().Window.Size;
        // The window's height includes the browser's own frame: the page's height plus that.
        long page = Convert.ToInt64(Driver.ExecuteScript("return document.documentElement.scrollHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        long viewport = Convert.ToInt64(Driver.ExecuteScript("return window.innerHeight;"), System.Globalization.CultureInfo.InvariantCulture);
        Resize(size.Width, (int)Math.Clamp(page + size.Height - viewport, size.Height, 4000));
        string directory = RepositoryPaths.File("artifacts", "screenshots");
        Directory.CreateDirectory(directory);
        string path = Path.Combine(directory, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        Resize(size.Width, size.Height);
        return path;
    }

    /// <summary>Every URL the page has requested since the session began (from the performance log).</summary>
    public IReadOnlyList<string> RequestedUrls()
    {
        foreach (var entry in Driver.Manage().Logs.GetLog("performance"))
        {
            using var message = JsonDocument.Parse(entry.Message);
            var inner = message.RootElement.GetProperty("message");
            if (inner.GetProperty("method").GetString() != "Network.requestWillBeSent") continue;
            requests.Add(inner.GetProperty("params").GetProperty("request").GetProperty("url").GetString()!);
        }
        return requests;
    }

    /// <summary>Fails on any request to another host: the page must work with no network but this service.</summary>
    public void AssertNothingLeftTheMachine()
    {
        var urls = RequestedUrls();
        Assert.NotEmpty(urls);
        var foreign = urls.Where(url => !url.StartsWith(BaseUrl + "/", StringComparison.Ordinal)
            && !url.StartsWith("data:", StringComparison.Ordinal) && !url.StartsWith("blob:", StringComparison.Ordinal)).ToList();
        Assert.True(foreign.Count == 0, $"The page requested other hosts: {string.Join(", ", foreign)}");
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        service.Dispose();
        folder.Dispose();
    }
}
