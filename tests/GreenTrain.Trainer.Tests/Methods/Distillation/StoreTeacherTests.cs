using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.ServiceDefaults.Store;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Testing.Store;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Export;
using GreenTrain.Trainer.Methods;
using GreenTrain.Trainer.Methods.Distillation;
using GreenTrain.Trainer.Tests.Engine;
using GreenTrain.Trainer.Worker;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static TorchSharp.torch;

namespace GreenTrain.Trainer.Tests.Methods.Distillation;

/// <summary>A teacher named by experiment id comes from that experiment's final checkpoint in a real store, as a worker loads it.</summary>
public sealed class StoreTeacherTests(SharedStoreServers servers) : IClassFixture<SharedStoreServers>
{
    [Theory]
    [InlineData("redis")]
    [InlineData("garnet")]
    public async Task A_teacher_from_the_store_teaches_exactly_what_the_same_teacher_exported_as_files_does(string kind)
    {
        var (experiments, checkpoints) = Stores(kind);
        var teacherId = SharedStoreServers.UniqueId("teacher");
        var teacherSpec = SpecFactory.Digits(steps: 40) with { Name = "teacher", Model = new ModelSpec { Kind = ModelKind.Mlp, Width = 96, Depth = 2 } };
        var folder = Directory.CreateTempSubdirectory("store-teacher-").FullName;
        using (var teacher = TrainingSession.Prepare(teacherSpec, CPU))
        {
            TrainingSession.Loop(teacher, new RunOptions(), [new ModelFilesObserver(folder)], NullLogger.Instance).Run(teacher);
            await checkpoints.SaveAsync(TrainingCheckpoint.Capture(teacher, teacherId, runId: null));
        }
        await experiments.WriteSpecAsync(teacherId, teacherSpec);
        await experiments.WriteProgressAsync(new ExperimentProgress(teacherId, ExperimentRunState.Completed));

        var fromStore = DistillationTesting.DigitsStudent(20, methods: new DistillationSpec { Teacher = new TeacherSpec { Experiment = teacherId } });
        var teachers = new StoreTeachers(experiments, checkpoints);
        await teachers.PreloadAsync(fromStore, CancellationToken.None);
        using var viaStore = TrainingSession.Prepare(fromStore, CPU, methods: TrainingMethodRegistry.For(fromStore, new MethodServices(teachers)));
        TrainingSession.Loop(viaStore, new RunOptions(), [], NullLogger.Instance).Run(viaStore);
        using var viaFiles = MethodTesting.Train(DistillationTesting.DigitsStudent(20, methods: DistillationTesting.From(folder)));

        MethodTesting.Host(viaStore.Parameters.Master).Should().Equal(MethodTesting.Host(viaFiles.Parameters.Master));
        TrainingSession.MethodReports(viaStore)["distillation"]["teacher"]!.GetValue<string>().Should().StartWith($"experiment:{teacherId}@");
        Directory.Delete(folder, recursive: true);
    }

    [Theory]
    [InlineData(null, "there is no experiment '*' in the store")]
    [InlineData(ExperimentRunState.Running, "experiment '*' has not finished (it is running)*")]
    [InlineData(ExperimentRunState.Completed, "experiment '*' has no usable checkpoint in the store")]
    public async Task A_teacher_experiment_that_is_missing_unfinished_or_without_checkpoint_is_refused_at_its_path(ExperimentRunState? state, string message)
    {
        var (experiments, checkpoints) = Stores("redis");
        var teacherId = SharedStoreServers.UniqueId("teacher");
        if (state is { } known)
        {
            await experiments.WriteSpecAsync(teacherId, SpecFactory.Digits(steps: 60));
            await experiments.WriteProgressAsync(new ExperimentProgress(teacherId, known));
        }
        var spec = DistillationTesting.DigitsStudent(10, methods: new DistillationSpec { Teacher = new TeacherSpec { Experiment = teacherId } });

        var preload = () => new StoreTeachers(experiments, checkpoints).PreloadAsync(spec, CancellationToken.None);

        (await preload.Should().ThrowAsync<TeacherUnavailableException>()).WithMessage($"$.training.methods[0].teacher.experiment: {message}");
    }

    private (ExperimentStore, CheckpointStore) Stores(string kind)
    {
        var store = new GreenTrainStore(servers.Connection(kind));
        return (new ExperimentStore(store), new CheckpointStore(store, Options.Create(new CheckpointOptions()), NullLogger<CheckpointStore>.Instance));
    }
}
