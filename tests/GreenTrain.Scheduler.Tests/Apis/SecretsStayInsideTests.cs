using System.Collections.Concurrent;
using System.Net;
using System.Text;
using GreenTrain.Scheduler.Forecasting;
using GreenTrain.Testing.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>
/// A deployed Scheduler (Production environment, a store that requires a password, an API key) tells the outside only
/// what it must, and writes neither secret to its logs, whatever it is asked.
/// </summary>
public sealed class SecretsStayInsideTests
{
    private const string StorePassword = "store-pass-5b7e0c1d9a";
    private const string ApiKey = "api-key-c4f1a8e27d36";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Neither_the_store_password_nor_the_api_key_appears_in_logs_or_answers()
    {
        await using var store = await StoreServers.StartAsync("redis");
        await using (var admin = await ConnectionMultiplexer.ConnectAsync($"{store.ConnectionString},allowAdmin=true"))
        {
            await admin.GetServers()[0].ExecuteAsync("CONFIG", "SET", "requirepass", StorePassword);
        }
        var logs = new EverythingLogged();
        await using var host = await SchedulerHost.StartAsync(store, new FakeTimeProvider(Now), apiKey: ApiKey, logs: logs,
            extra: new Dictionary<string, string?>
            {
                ["ConnectionStrings:store"] = $"{store.ConnectionString},password={StorePassword}",
                ["Logging:LogLevel:Default"] = "Debug",
            });
        await host.Get<ForecastService>().RefreshAsync("DE", CancellationToken.None);

        var refused = await host.Client.GetAsync("/experiments");
        var wrongKey = await SendAsync(host, HttpMethod.Get, "/experiments", "not-" + ApiKey);
        var submitted = await SendAsync(host, HttpMethod.Post, "/experiments?estimatedHours=1&estimatedKWh=0.5", ApiKey,
            """{"name":"digits-mlp","carbon":{"allowedRegions":["DE"]}}""");
        var invalid = await SendAsync(host, HttpMethod.Post, "/experiments?estimatedHours=-1", ApiKey, """{"name":""}""");
        var info = await host.Client.GetStringAsync("/info");
        var health = await host.Client.GetStringAsync("/health");
        await host.App.StopAsync();

        refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        wrongKey.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        submitted.StatusCode.Should().Be(HttpStatusCode.Created, "the key and the store password both work");
        invalid.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        // Outside Development, /info and /health say whether the service is well, not what it runs on.
        info.Should().Be("""{"status":"ok"}""");
        // Only the overall status word (Degraded here: one region of three has a forecast), no check names or errors.
        health.Should().BeOneOf("Healthy", "Degraded", "Unhealthy");
        logs.Text.Should().NotBeEmpty();
        logs.Text.Should().NotContain(StorePassword).And.NotContain(ApiKey);
        foreach (var answer in new[] { refused, wrongKey, submitted, invalid })
        {
            (await answer.Content.ReadAsStringAsync()).Should().NotContain(StorePassword).And.NotContain(ApiKey);
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(SchedulerHost host, HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("X-Api-Key", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        return await host.Client.SendAsync(request);
    }

    /// <summary>Every entry at every level: the message, each structured value and the exception, as a log sink would keep them.</summary>
    private sealed class EverythingLogged : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _entries = new();

        public string Text => string.Join('\n', _entries);

        public ILogger CreateLogger(string categoryName) => new Collector(this);

        public void Dispose()
        {
        }

        private sealed class Collector(EverythingLogged owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull
            {
                owner._entries.Enqueue($"scope {state}");
                return null;
            }

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
                owner._entries.Enqueue($"{logLevel} {formatter(state, exception)} [{values}] {exception}");
            }
        }
    }
}
