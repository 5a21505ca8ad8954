using GreenTrain.AppHost.Commands;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.AppHost.Tests.Commands;

/// <summary>Which experiment a trainer's Pause/Resume dashboard command acts on: only one of the trainer's own region.</summary>
public sealed class TrainingCommandsTargetTests
{
    private static readonly ExperimentProgress RunningInFrance = new("exp-fr", ExperimentRunState.Running, Step: 10, Region: "FR");
    private static readonly ExperimentProgress PausedInFrance = new("exp-fr-paused", ExperimentRunState.Paused, Step: 40, Region: "FR");
    private static readonly ExperimentProgress RunningInGermany = new("exp-de", ExperimentRunState.Running, Step: 5, Region: "DE");

    [Fact]
    public void Pause_on_a_trainer_whose_region_runs_nothing_pauses_nothing_even_when_another_region_is_running()
    {
        TrainingCommands.ChooseTarget([RunningInFrance], TrainerCommandKind.Pause, "DE").Should().BeNull();
        TrainingCommands.ChooseTarget([PausedInFrance], TrainerCommandKind.Resume, "DE").Should().BeNull();
    }

    [Fact]
    public void Each_trainer_pauses_and_resumes_its_own_regions_experiment()
    {
        ExperimentProgress[] newestFirst = [RunningInFrance, RunningInGermany, PausedInFrance];

        TrainingCommands.ChooseTarget(newestFirst, TrainerCommandKind.Pause, "DE")!.ExperimentId.Should().Be("exp-de");
        TrainingCommands.ChooseTarget(newestFirst, TrainerCommandKind.Pause, "fr")!.ExperimentId.Should().Be("exp-fr", "regions compare without case");
        TrainingCommands.ChooseTarget(newestFirst, TrainerCommandKind.Resume, "FR")!.ExperimentId.Should().Be("exp-fr-paused");
    }

    [Fact]
    public void A_progress_record_without_a_region_belongs_to_the_local_worker()
    {
        var local = new ExperimentProgress("exp-local", ExperimentRunState.Running);

        TrainingCommands.ChooseTarget([local], TrainerCommandKind.Pause, "local")!.ExperimentId.Should().Be("exp-local");
        TrainingCommands.ChooseTarget([local], TrainerCommandKind.Pause, "DE").Should().BeNull();
    }
}
