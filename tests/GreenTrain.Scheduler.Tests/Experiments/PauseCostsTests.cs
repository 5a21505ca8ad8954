using GreenTrain.Scheduler.Experiments;

namespace GreenTrain.Scheduler.Tests.Experiments;

/// <summary>A deployment prices a pause at the job's own power; without that setting, or without an estimate, the fixed kWh apply.</summary>
public sealed class PauseCostsTests
{
    private static readonly SchedulerOptions GpuSized = new() { CheckpointSeconds = 30, ResumeSeconds = 60, CheckpointKWh = 0.002, ResumeKWh = 0.005, MigrationKWh = 0.01 };

    [Fact]
    public void A_pause_costs_the_jobs_power_for_the_configured_seconds()
    {
        // 0.7 kWh over one hour is a 700 W job: 30 s of checkpoint is 5.83 Wh, 60 s of resume 11.67 Wh.
        var costs = PlanningService.PauseCosts(GpuSized, remainingKWh: 0.7, remainingHours: 1);

        costs.CheckpointKWh.Should().BeApproximately(0.7 * 30 / 3600, 1e-12);
        costs.ResumeKWh.Should().BeApproximately(0.7 * 60 / 3600, 1e-12);
        costs.MigrationKWh.Should().Be(0.01);
    }

    [Fact]
    public void A_job_ten_times_smaller_pays_ten_times_less_to_pause()
    {
        var big = PlanningService.PauseCosts(GpuSized, 0.7, 1);
        var small = PlanningService.PauseCosts(GpuSized, 0.07, 1);

        (big.PauseKWh / small.PauseKWh).Should().BeApproximately(10, 1e-9);
    }

    [Fact]
    public void Without_seconds_or_without_an_estimate_the_fixed_costs_apply()
    {
        var fixedCosts = PlanningService.PauseCosts(new SchedulerOptions(), 0.7, 1);
        var noEstimate = PlanningService.PauseCosts(GpuSized, 0.7, 0);

        fixedCosts.Should().Be(new GreenTrain.Scheduler.Planning.JobCosts(0.002, 0.005, 0.01));
        noEstimate.Should().Be(new GreenTrain.Scheduler.Planning.JobCosts(0.002, 0.005, 0.01));
    }
}
