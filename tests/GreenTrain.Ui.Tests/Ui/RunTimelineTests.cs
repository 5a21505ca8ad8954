using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Ui;

namespace GreenTrain.Ui.Tests.Ui;

public sealed class RunTimelineTests
{
    private static readonly DateTimeOffset T = new(2020, 4, 20, 6, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_gap_between_windows_is_a_pause_and_a_gap_into_another_planned_region_is_a_move()
    {
        IReadOnlyList<EnergyWindow> windows = [Window(0, 0, 10), Window(1, 10, 20), Window(2, 60, 70), Window(3, 120, 130)];
        var plans = new[]
        {
            new PlanSnapshot(T.AddMinutes(-1), [new("DE", T, T.AddMinutes(20)), new("DE", T.AddMinutes(60), T.AddMinutes(70)), new("FR", T.AddMinutes(120), T.AddMinutes(130))],
                1, 2, true, 1, 1),
        };

        var spans = RunTimeline.Intervals(windows, plans, "DE");

        spans.Select(s => (s.Kind, s.Region, (s.Start - T).TotalMinutes, (s.End - T).TotalMinutes)).Should().Equal(
            ("run", "DE", 0, 20), ("pause", null, 20, 60), ("run", "DE", 60, 70), ("move", "FR", 70, 120), ("run", "FR", 120, 130));
    }

    [Fact]
    public void Power_is_summed_per_device_kind_in_each_window()
    {
        var power = RunTimeline.Power([Window(0, 0, 10)]);

        power.Select(p => (p.Kind, p.Watts)).Should().Equal(("cpu", 30.0), ("memory", 6.0));
    }

    private static EnergyWindow Window(int sequence, int fromMinute, int toMinute) =>
        new("exp", "run", sequence, T.AddMinutes(fromMinute), T.AddMinutes(toMinute), EnergyPhase.Train, sequence * 10, sequence * 10 + 10,
        [
            new DeviceEnergy("cpu:package-0", DeviceKind.Cpu, EnergyMethod.Estimate, 20 * 600, 20),
            new DeviceEnergy("cpu:package-1", DeviceKind.Cpu, EnergyMethod.Estimate, 10 * 600, 10),
            new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, 6 * 600, 6),
        ]);
}
