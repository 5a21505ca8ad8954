using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.RegularExpressions;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.EndToEnd.Tests.Failover;

/// <summary>
/// Every command put on any region's queue, as the store itself saw it: `redis-cli MONITOR` prints each command the
/// server runs, those inside Lua scripts too, so every LPUSH onto a pending list is a send (a requeue after an
/// expired lease is an RPUSH, not a send). Nothing in the Scheduler is asked; the store's own log is the witness.
/// </summary>
internal sealed partial class SentCommands : IDisposable
{
    private readonly ConcurrentQueue<(string Region, TrainerCommand Command)> _sent = new();
    private readonly ChildProcess _monitor;
    private volatile bool _started;

    private SentCommands(string host, int port)
    {
        _monitor = ChildProcess.Start("redis-cli monitor", "redis-cli", ["-h", host, "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "monitor"],
            onLine: OnLine);
    }

    /// <summary>Starts watching and waits until MONITOR answers (its "OK"), so no later send is missed.</summary>
    public static async Task<SentCommands> StartAsync(string connectionString, TimeSpan patience)
    {
        var (host, port) = (connectionString.Split(':')[0], int.Parse(connectionString.Split(':')[1].Split(',')[0], System.Globalization.CultureInfo.InvariantCulture));
        var watcher = new SentCommands(host, port);
        var deadline = DateTime.UtcNow + patience;
        while (!watcher._started)
        {
            if (DateTime.UtcNow > deadline || watcher._monitor.HasExited)
            {
                throw new TimeoutException($"redis-cli monitor did not start: {watcher._monitor.Output()}");
            }
            await Task.Delay(20);
        }
        return watcher;
    }

    public IReadOnlyList<(string Region, TrainerCommand Command)> All => _sent.ToList();

    private void OnLine(string line)
    {
        if (line == "OK")
        {
            _started = true;
            return;
        }
        var match = LpushOntoPending().Match(line);
        if (!match.Success)
        {
            return;
        }
        var payload = Regex.Unescape(match.Groups["payload"].Value);
        var command = JsonSerializer.Deserialize<TrainerCommand>(payload, Json)!;
        _sent.Enqueue((match.Groups["region"].Value, command));
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    [GeneratedRegex("""^\S+ \[\d+ [^\]]+\] "LPUSH" "greentrain:queue:(?<region>[^:"]+):pending" "(?<payload>.*)"$""")]
    private static partial Regex LpushOntoPending();

    public void Dispose() => _monitor.Dispose();
}
