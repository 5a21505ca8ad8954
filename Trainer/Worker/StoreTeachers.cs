using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Contracts.Methods;
using GreenTrain.ServiceDefaults.Store.Experiments;
using GreenTrain.Trainer.Checkpoints;
using GreenTrain.Trainer.Data;
using GreenTrain.Trainer.Methods.Distillation;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// The worker's teachers: for each distillation method whose teacher is an experiment, the experiment's spec and newest
/// checkpoint are read from the store before training (asynchronously, on the worker's side), and the teacher is rebuilt
/// from them on the training thread when the method asks (CheckpointTeacher). A teacher must have finished: its
/// progress says completed, so its checkpoint is its final weights.
/// </summary>
public sealed class StoreTeachers(ExperimentStore experiments, CheckpointStore checkpoints) : ITeacherSource
{
    private readonly Dictionary<string, (ExperimentSpec Spec, LoadedCheckpoint Checkpoint)> _loaded = new(StringComparer.Ordinal);

    /// <summary>Reads every stored teacher the spec names; throws TeacherUnavailableException naming the first that cannot be used.</summary>
    public async Task PreloadAsync(ExperimentSpec spec, CancellationToken cancellationToken)
    {
        var methods = spec.Training.Methods ?? [];
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i] is not DistillationSpec { Teacher.Experiment: { } id }) continue;
            var path = $"$.training.methods[{i}].teacher.experiment";
            var json = await experiments.ReadSpecAsync(id) ?? throw new TeacherUnavailableException(path, $"there is no experiment '{id}' in the store");
            var parsed = ExperimentSpecJson.Parse(json);
            if (!parsed.IsValid) throw new TeacherUnavailableException(path, $"experiment '{id}' has a spec this Trainer cannot read: {string.Join("; ", parsed.Errors)}");
            var progress = await experiments.ReadProgressAsync(id);
            if (progress?.State != ExperimentRunState.Completed)
            {
                throw new TeacherUnavailableException(path, $"experiment '{id}' has not finished (it is {progress?.State.ToString().ToLowerInvariant() ?? "not started"}); a teacher must be trained to the end");
            }
            var loaded = await checkpoints.LoadLatestAsync(id, ExperimentSpecJson.Hash(parsed.Spec!), cancellationToken);
            _loaded[id] = (parsed.Spec!, loaded.Checkpoint ?? throw new TeacherUnavailableException(path, $"experiment '{id}' has no usable checkpoint in the store"));
        }
    }

    public Teacher Load(string experimentId, string path, ITrainingData studentData)
    {
        if (!_loaded.TryGetValue(experimentId, out var stored))
        {
            throw new InvalidOperationException($"teacher '{experimentId}' was not preloaded: call PreloadAsync before training");
        }
        return CheckpointTeacher.Build(experimentId, stored.Spec, stored.Checkpoint, studentData.ExampleShape, studentData.Classes, path);
    }
}
