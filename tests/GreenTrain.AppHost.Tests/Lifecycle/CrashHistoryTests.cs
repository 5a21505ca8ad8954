using Aspire.Hosting.ApplicationModel;
using GreenTrain.AppHost.Lifecycle;

namespace GreenTrain.AppHost.Tests.Lifecycle;

/// <summary>The restarter's rules: which exits are crashes, and how restarts back off and stop.</summary>
public sealed class CrashHistoryTests
{
    private static readonly RestartOnCrashAnnotation Policy = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), MaxRestarts: 3, Window: TimeSpan.FromMinutes(10));

    [Fact]
    public void A_process_killed_while_running_is_a_crash_but_a_stop_through_stopping_is_not()
    {
        var history = new CrashHistory();
        history.Observe(KnownResourceStates.Starting, null).Should().BeFalse();
        history.Observe(KnownResourceStates.Running, null).Should().BeFalse();
        history.Observe(KnownResourceStates.Exited, 137).Should().BeTrue("killed: no stop was asked for");
        history.Observe(KnownResourceStates.Exited, 137).Should().BeFalse("the same exit, seen again, is counted once");

        history.Observe(KnownResourceStates.Running, null);
        history.Observe(KnownResourceStates.Stopping, null);
        history.Observe(KnownResourceStates.Exited, 0).Should().BeFalse("the user (or the AppHost) stopped it");

        history.Observe(KnownResourceStates.Running, null);
        history.Observe(KnownResourceStates.Exited, 0).Should().BeFalse("a clean exit is the service's own choice");
    }

    [Fact]
    public void Restarts_back_off_doubling_up_to_the_cap_and_stop_after_the_most_allowed_in_the_window()
    {
        var history = new CrashHistory();
        var now = DateTimeOffset.UnixEpoch;

        history.NextDelay(Policy, now).Should().Be(TimeSpan.FromSeconds(1));
        history.NextDelay(Policy, now).Should().Be(TimeSpan.FromSeconds(2));
        history.NextDelay(Policy, now).Should().Be(TimeSpan.FromSeconds(4));
        history.NextDelay(Policy, now).Should().BeNull("three restarts within ten minutes is the most");
        history.NextDelay(Policy, now + TimeSpan.FromMinutes(11)).Should().Be(TimeSpan.FromSeconds(1), "old restarts leave the window");

        var capped = new CrashHistory();
        var many = Policy with { MaxRestarts = 10 };
        var delays = new List<TimeSpan?>();
        for (var i = 0; i < 9; i++)
        {
            delays.Add(capped.NextDelay(many, now));
        }
        delays[^1].Should().Be(TimeSpan.FromSeconds(5), "the wait stops doubling at the cap");
    }
}
