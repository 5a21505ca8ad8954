using GreenTrain.AppHost.Store;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.Telemetry;
using GreenTrain.Testing.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Playwright;
using StackExchange.Redis;

namespace GreenTrain.Ui.Tests.Support;

/// <summary>
/// The real Telemetry service on a loopback port, over an embedded Garnet store holding <see cref="RecordedRuns"/>,
/// and Debian's chromium driven by Playwright. One per test collection: starting chromium costs a second or two.
/// </summary>
public sealed class UiService : IAsyncLifetime
{
    /// <summary>The flags that keep chromium from reaching for Google's hosts on a machine with no internet.</summary>
    public static readonly string[] ChromiumArgs =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IStoreServer? _server;
    private ConnectionMultiplexer? _connection;
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";

    public RecordedRuns Runs { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await StoreServers.StartAsync("garnet");
        _connection = await ConnectionMultiplexer.ConnectAsync(_server.ConnectionString);
        Runs = new RecordedRuns(new GreenTrainStore(_connection));
        await Runs.WriteAllAsync();

        BaseUrl = $"http://127.0.0.1:{EmbeddedGarnet.FreeLoopbackPort()}";
        _app = TelemetryApp.Build(new WebApplicationOptions
        {
            ApplicationName = "GreenTrain.Telemetry",
            EnvironmentName = "Testing",
            ContentRootPath = AppContext.BaseDirectory,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        }, builder =>
        {
            builder.WebHost.UseUrls(BaseUrl);
            builder.Configuration[$"ConnectionStrings:{StoreExtensions.StoreConnectionName}"] = _server.ConnectionString;
            builder.Configuration["Accounting:Traces:DE"] = RecordedRuns.TracePath;
        });
        await _app.StartAsync();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ChromiumArgs,
        });
    }

    /// <summary>A fresh page at the service's address, laptop-sized unless told otherwise.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = height } });
        return await context.NewPageAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.CloseAsync();
        }
        _playwright?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _connection?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class UiCollection : ICollectionFixture<UiService>
{
    public const string Name = "Telemetry UI in chromium";
}
