using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.ServiceDefaults.Data;
using GreenTrain.ServiceDefaults.Sizing;

namespace GreenTrain.Trainer.Worker;

/// <summary>
/// What a worker checks of a stored spec before it opens a file or allocates a tensor: the Scheduler checked the same
/// at submission, but the store can be written by others and the worker's machine is the one that pays for a mistake.
/// </summary>
public static class SpecAdmission
{
    /// <summary>Why this worker must not run the spec, or null. The text names the field and the setting, never a file's contents or size.</summary>
    public static string? Refusal(ExperimentSpec spec, IReadOnlyList<string> dataRoots, double? maxModelMemoryGiB)
    {
        var limit = Math.Min(maxModelMemoryGiB is { } gib ? ModelMemoryLimit.BytesOf(gib) : double.PositiveInfinity, ModelMemoryLimit.AvailableBytes);
        if (ModelMemoryLimit.Refusal(spec, limit, "this worker's memory, or Worker:MaxModelMemoryGiB when lower") is { } tooLarge)
        {
            return tooLarge;
        }
        if (DataPathGuard.PathOf(spec.Dataset) is { } path && DataPathGuard.Refusal(path, dataRoots) is { } outside)
        {
            return $"dataset.path {outside}";
        }
        foreach (var (field, teacher) in DataPathGuard.TeacherPathsOf(spec))
        {
            if (DataPathGuard.Refusal(teacher, dataRoots) is { } refused) return $"{field[2..]} {refused}";
        }
        return null;
    }
}
