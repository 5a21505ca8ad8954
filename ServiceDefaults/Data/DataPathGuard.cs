using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.ServiceDefaults.Data;

/// <summary>
/// Decides whether a dataset path given through the API may be read: its real path (links followed) must lie inside a
/// data root. The answer depends only on where the path leads, never on whether a file is there or how large it is,
/// so a refusal tells a client nothing about files outside the roots. Inside a root, a device, pipe or socket is
/// refused too: a root that takes in /dev (or a FIFO left in a data folder) would otherwise feed /dev/zero to a trainer.
/// </summary>
public static class DataPathGuard
{
    /// <summary>Where fashion-mnist is read from when the spec names no path (the dataset-fashion-mnist package).</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The path a spec's data set is read from, or null when it reads nothing from disk (digits are embedded).</summary>
    public static string? PathOf(DatasetSpec dataset) => dataset.Kind switch
    {
        DatasetKind.FashionMnist => dataset.Path ?? FashionMnistFolder,
        DatasetKind.Text => dataset.Path,
        _ => null,
    };

    /// <summary>The model files each distillation teacher is read from, with the JSON path of the field that names them.</summary>
    public static IEnumerable<(string Field, string Path)> TeacherPathsOf(ExperimentSpec spec)
    {
        var methods = spec.Training?.Methods ?? [];
        for (var i = 0; i < methods.Count; i++)
        {
            if (methods[i] is Contracts.Methods.DistillationSpec { Teacher.ModelFile: { } file }) yield return ($"$.training.methods[{i}].teacher.modelFile", file);
        }
    }

    /// <summary>The error for a path outside every root (the same text whatever is or is not there), or null when it is inside one.</summary>
    public static string? Refusal(string path, IReadOnlyList<string> roots)
    {
        string real;
        try
        {
            real = RealPath.Of(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            real = "";
        }
        if (real.Length == 0 || !roots.Any(root => RealPath.IsInside(real, root)))
        {
            return $"must lie inside the data roots, symbolic links followed (setting Data:Roots: {string.Join(", ", roots)})";
        }
        // Only asked inside a root, so it tells a client nothing about files it may not read anyway.
        return FileKinds.Of(real) == FileKind.Special
            ? "must be a regular file or a folder of them, not a device, pipe or socket (inside setting Data:Roots)"
            : null;
    }
}
