using Xunit.Abstractions;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Leadership;
using GreenTrain.Testing.Store;
using StackExchange.Redis;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.EndToEnd.Tests.Failover;

/// <summary>
/// Two Scheduler replicas on one real redis-server, as Container Apps runs them: the follower takes a submit, the
/// leader plans and dispatches it, and when the leader is SIGKILLed mid-run the follower takes the lease within the
/// lease period and carries the experiment to completion. The store's own MONITOR log shows each command sent once.
/// </summary>
public sealed class SchedulerFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A follower tries to take the lease every third of it: a dead leader's lease lapses within one period, taken within a
    /// third more. The 3 s on top are for a 2-core CI machine busy with the trainer (measured 3.0-3.8 s at load 40 here).
    /// </summary>
    private static readonly TimeSpan TakeoverBound = TimeSpan.FromSeconds(SchedulerReplicas.LeaseSeconds * 4 / 3 + 3);

    // Its deadline is well inside the first 15-minute planning cell and its estimate shorter, so the plan runs it at once.
    private static string SpecJson(DateTimeOffset deadline) => """
        {"name":"failover-digits","dataset":{"kind":"digits","validationFraction":0.1,"testFraction":0.2},"model":{"kind":"mlp","width":256,"depth":2},
         "training":{"steps":STEPS,"batchSize":64,"precision":"fp32","seed":7,"evalEverySteps":1000,
           "optimizer":{"kind":"sgd","learningRate":0.05,"momentum":0.9}},
         "checkpoint":{"everySeconds":2,"keepLast":2},
         "carbon":{"pausable":true,"allowedRegions":["FR"],"deadline":"DEADLINE"}}
        """.Replace("STEPS", Steps.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
        .Replace("DEADLINE", deadline.ToString("O"), StringComparison.Ordinal);

    private const int Steps = 6000;

    [Fact]
    public async Task Killing_the_leader_mid_run_hands_over_within_the_lease_and_the_experiment_completes_once()
    {
        await using var redis = await RedisServerProcess.StartAsync(TempFolder.Create("failover-redis"));
        using var sent = await SentCommands.StartAsync(redis.ConnectionString, TimeSpan.FromSeconds(20));
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString);
        var store = new GreenTrainStore(connection);
        var lease = new StoreLease(store, StoreKeys.SchedulerLeader, StoreKeys.SchedulerLeaderFence);
        var progress = new SharedExperiments(store);
        using var timeout = new CancellationTokenSource(Patience);

        var (a, aAddress) = SchedulerReplicas.StartScheduler("scheduler-a", redis.ConnectionString);
        using var leader = a;
        var first = await WaitForAsync(() => lease.ReadAsync(), t => t is not null, timeout.Token, leader);
        first!.Owner.Should().Be("scheduler-a", "the only replica running takes the free lease");
        var (b, bAddress) = SchedulerReplicas.StartScheduler("scheduler-b", redis.ConnectionString);
        using var follower = b;
        using var toA = Client(aAddress);
        using var toB = Client(bAddress);
        await WaitForAsync(() => HealthAsync(toB), ok => ok, timeout.Token, follower);
        (await RoleAsync(toA)).Should().Be("leader");
        (await RoleAsync(toB)).Should().Be("follower");
        using var worker = SchedulerReplicas.StartWorker("failover-worker", redis.ConnectionString);

        // The follower takes the submit (every replica serves the API); the leader plans and starts it.
        var created = await toB.PostAsync("/experiments?estimatedHours=0.01&estimatedKWh=0.001",
            new StringContent(SpecJson(DateTimeOffset.UtcNow.AddMinutes(3)), Encoding.UTF8, "application/json"), timeout.Token);
        created.StatusCode.Should().Be(System.Net.HttpStatusCode.Created, await created.Content.ReadAsStringAsync(timeout.Token));
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>(timeout.Token)).GetProperty("id").GetString()!;
        var running = await WaitForAsync(() => progress.ReadProgressAsync(id), p => p is { State: ExperimentRunState.Running, Step: > 0 }, timeout.Token, worker, leader);

        leader.Kill();
        var killed = Stopwatch.StartNew();
        var next = await WaitForAsync(() => lease.ReadAsync(), t => t is { Owner: "scheduler-b" }, timeout.Token, follower);
        var takeover = killed.Elapsed;
        var atTakeover = await progress.ReadProgressAsync(id);

        var toFinish = Stopwatch.StartNew();
        var done = await WaitForAsync(() => StateAsync(toB, id), s => s is "completed" or "failed" or "cancelled", timeout.Token, follower, worker);
        var final = await progress.ReadProgressAsync(id);
        var commands = sent.All.Where(c => c.Command.ExperimentId == id).ToList();
        var context = $"takeover {takeover.TotalSeconds:0.00} s; commands {string.Join(", ", commands.Select(c => $"{c.Command.Kind}@{c.Region}:{c.Command.CommandId}"))}\n{follower.Output()}\n{worker.Output()}";

        output.WriteLine($"killed at step {running!.Step}, {atTakeover?.Step} at takeover; takeover {takeover.TotalSeconds:0.00} s (bound {TakeoverBound.TotalSeconds:0.00} s, lease {SchedulerReplicas.LeaseSeconds} s); completed {toFinish.Elapsed.TotalSeconds:0} s after; {commands.Count} command(s) for the experiment, {sent.All.Count} in all");
        takeover.Should().BeLessThanOrEqualTo(TakeoverBound, $"the follower takes over within the lease and one check ({context})");
        next!.Fence.Should().BeGreaterThan(first.Fence);
        atTakeover!.State.Should().Be(ExperimentRunState.Running, $"the leader died mid-run, and the run trains on through the handover ({context})");
        atTakeover.Step.Should().BeLessThan(Steps);
        done.Should().Be("completed", context);
        final!.State.Should().Be(ExperimentRunState.Completed);
        final.Step.Should().Be(Steps);
        final.RunId.Should().Be(running.RunId, "the one run started before the handover is the one that completed");
        final.ResumedFromStep.GetValueOrDefault().Should().Be(0, "the run was never restarted: no second Start or Resume reached a worker");
        sent.All.Select(c => c.Command.CommandId).Should().OnlyHaveUniqueItems("no command is sent twice");
        commands.Should().ContainSingle(c => c.Command.Kind == TrainerCommandKind.Start, context)
            .Which.Region.Should().BeEquivalentTo(SchedulerReplicas.Region);
        commands.Should().OnlyContain(c => c.Command.Kind == TrainerCommandKind.Start, $"nothing needed a pause, resume or cancel ({context})");
        (await RoleAsync(toB)).Should().Be("leader");
    }

    private static HttpClient Client(Uri address)
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
        client.DefaultRequestHeaders.Add("X-Api-Key", SchedulerReplicas.ApiKey);
        return client;
    }

    private static async Task<bool> HealthAsync(HttpClient client)
    {
        try
        {
            return (await client.GetAsync("/health")).IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false; // not listening yet
        }
    }

    private static async Task<string?> RoleAsync(HttpClient client) =>
        (await client.GetFromJsonAsync<JsonElement>("/info")).GetProperty("role").GetString();

    private static async Task<string?> StateAsync(HttpClient client, string id) =>
        (await client.GetFromJsonAsync<JsonElement>($"/experiments/{id}")).GetProperty("state").GetString();

    /// <summary>Polls until the value satisfies the condition (each poll a store or HTTP read, not a sleep standing in for one); fails with the processes' output.</summary>
    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> condition, CancellationToken cancellationToken, params ChildProcess[] watched)
    {
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }
            if (cancellationToken.IsCancellationRequested || watched.FirstOrDefault(p => p.HasExited) is not null)
            {
                throw new TimeoutException($"not reached (last value {value}); {string.Join("\n", watched.Select(p => p.Output()))}");
            }
            await Task.Delay(20, CancellationToken.None);
        }
    }
}
