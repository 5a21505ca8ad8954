using System.Net.Http.Json;
using System.Text.Json;
using GreenTrain.Scheduler.Experiments;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Store.CommandQueue;
using GreenTrain.Testing.Store;
using SharedExperiments = GreenTrain.ServiceDefaults.Store.Experiments.ExperimentStore;

namespace GreenTrain.Scheduler.Tests.Apis;

/// <summary>The Quartz jobs on the real clock: trace replay at 960x makes a 15-minute grid cell last under a second.</summary>
public class QuartzDispatchTests
{
    [Fact]
    public async Task The_start_command_goes_out_at_the_planned_boundary_not_before()
    {
        await using var store = await StoreServers.StartAsync("redis");
        // British evening 2020-03-02 from 18:00: about 305 g/kWh, falling to 227 by 21:30.
        await using var host = await SchedulerHost.StartAsync(store, time: null, extra: new Dictionary<string, string?>
        {
            ["Carbon:Regions:0"] = "GB",
            ["Carbon:Replay:SpeedUp"] = "960",
            ["Carbon:Replay:TraceStart"] = "2020-03-02T18:00:00Z",
        }, quartz: true);
        var submittedAt = DateTimeOffset.UtcNow;
        var deadline = submittedAt + TimeSpan.FromHours(4) / 960; // 15 s: four grid hours
        var body = "{\"name\":\"evening\",\"carbon\":{\"deadline\":\"" + deadline.ToString("O") + "\",\"allowedRegions\":[\"GB\"],\"pausable\":false}}";
        var hours = (TimeSpan.FromMinutes(30) / 960).TotalHours; // half a grid hour of work
        var created = await host.Client.PostAsync($"/experiments?estimatedHours={hours.ToString(System.Globalization.CultureInfo.InvariantCulture)}&estimatedKWh=1",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // Take the command as a Trainer worker would: the take returns as soon as the Scheduler queues it. Only the
        // one-off boundary trigger can queue it in time: the periodic dispatch runs hourly in these tests.
        using var timeout = new CancellationTokenSource(deadline - DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30));
        var lease = await host.Get<CommandConsumer>().TakeAsync("GB", timeout.Token);

        // The dispatch that queued it records the new state under the Scheduler's record lock: read after it lets go.
        var record = (await host.Get<ExperimentLock>().RunAsync(() => host.Get<ExperimentStore>().GetAsync(id)))!;
        // The plan in force when the command went out: a replan once the run has started plans its rest from then on,
        // so the record's current plan may start after the send.
        var plans = await host.Get<SharedExperiments>().ReadPlansAsync(id);
        var plannedStart = plans.Last(p => p.PlannedAt <= lease.Command.IssuedAt).Intervals[0].Start;
        plannedStart.Should().BeAfter(submittedAt + TimeSpan.FromHours(2) / 960, "the clean hours come late in the evening");
        lease.Command.Should().Match<TrainerCommand>(c => c.ExperimentId == id && c.Kind == TrainerCommandKind.Start);
        // The Scheduler stamps a command with its clock's moment of sending: at the planned boundary, not before.
        lease.Command.IssuedAt.Should().BeOnOrAfter(plannedStart, "nothing is sent before the planned start");
        record.State.Should().Be(ExperimentState.Running);
        record.LastCommandAt.Should().Be(lease.Command.IssuedAt);
        (await host.Get<CommandProducer>().GetCountsAsync("GB")).Pending.Should().Be(0, "one start, sent once");
    }
}
