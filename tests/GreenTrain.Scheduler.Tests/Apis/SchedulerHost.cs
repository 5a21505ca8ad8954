using Quartz;
using GreenTrain.Testing.Store;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>The real Scheduler web service on a loopback port, against a real store, with a fake clock the test moves.</summary>
internal sealed class SchedulerHost : IAsyncDisposable
{
    private SchedulerHost(WebApplication app, HttpClient client)
    {
        App = app;
        Client = client;
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>The key a host started without one of its own requires; its <see cref="Client"/> sends it.</summary>
    public const string DefaultApiKey = "scheduler-test-key-0f3a9b";

    /// <param name="apiKey">The key to require; when null, <see cref="DefaultApiKey"/>, which the client then sends with every request.</param>
    /// <param name="quartz">
    /// Whether Quartz runs its jobs. Off by default: the tests drive planning and dispatch themselves on a fake clock,
    /// and a pass triggered in the background (by a submit, or by this replica taking the lease) would race them and
    /// take the step a test asserts on. On for the tests of the jobs and of leadership themselves.
    /// </param>
    public static async Task<SchedulerHost> StartAsync(IStoreServer store, FakeTimeProvider? time, string? apiKey = null,
        IReadOnlyDictionary<string, string?>? extra = null, ILoggerProvider? logs = null, bool quartz = false)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:store"] = store.ConnectionString,
            ["OTEL_SERVICE_NAME"] = "scheduler-test",
            // Long intervals: where Quartz runs (quartz: true), only its start-up and triggered passes.
            ["Carbon:RefreshSeconds"] = "3600",
            ["Scheduler:ReplanSeconds"] = "3600",
            ["Scheduler:DispatchSeconds"] = "3600",
            // Outside Development the Scheduler refuses to start without a key, as a deployment would.
            ["Scheduler:ApiKey"] = apiKey ?? DefaultApiKey,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }
        var app = SchedulerApp.Build([], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            if (time is not null)
            {
                builder.Services.AddSingleton<TimeProvider>(time);
            }
            if (logs is not null)
            {
                builder.Logging.AddProvider(logs);
            }
            if (!quartz)
            {
                builder.Services.Configure<QuartzHostedServiceOptions>(o => o.StartDelay = TimeSpan.FromDays(1));
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var client = new HttpClient { BaseAddress = new Uri(address) };
        if (apiKey is null)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", DefaultApiKey);
        }
        return new SchedulerHost(app, client);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
