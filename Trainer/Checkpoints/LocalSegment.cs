using GreenTrain.Trainer.Checkpoints.State;
using GreenTrain.Trainer.Engine;
using GreenTrain.Trainer.Observers;
using Microsoft.Extensions.Logging;

namespace GreenTrain.Trainer.Checkpoints;

/// <summary>
/// A run trained in segments without the store (`train --checkpoint-folder DIR --stop-at-step N` or `--stop-at-epoch N`, as a local sweep
/// runs its trials): continue from the folder's checkpoint if it has one, stop at step N, and leave the state there
/// for the next segment. The same checkpoint sections as the worker's, so a resumed segment continues bit-exactly.
/// </summary>
public sealed class LocalSegment(string checkpointFolder, long? stopAtStep, int? stopAtEpoch = null)
{
    public string CheckpointFolder { get; } = checkpointFolder;

    /// <summary>The step the checkpoint put the run at (0 when it started fresh).</summary>
    public long ResumedFromStep { get; private set; }

    public IEnumerable<ITrainingObserver> Observers => stopAtStep is null && stopAtEpoch is null ? [] : [new StopAtStepObserver(stopAtStep, stopAtEpoch)];

    /// <summary>After the session is prepared, before the loop: restores the folder's checkpoint, if any.</summary>
    public void Begin(TrainingState state, ILogger logger)
    {
        if (FolderCheckpoint.Load(CheckpointFolder, state.SpecHash) is { } checkpoint)
        {
            TrainingCheckpoint.Restore(state, checkpoint, logger);
            ResumedFromStep = state.Step;
        }
    }

    /// <summary>After the loop: the state at the segment's end replaces the folder's checkpoint.</summary>
    public void End(TrainingState state) => FolderCheckpoint.Save(CheckpointFolder, TrainingCheckpoint.Capture(state, state.Spec.Name, runId: null));
}
