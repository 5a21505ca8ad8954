using System.ComponentModel.DataAnnotations;

namespace GreenTrain.ServiceDefaults.Data;

/// <summary>
/// The folders a dataset.path given through the Scheduler may name (section "Data"). A spec comes from any client
/// of the API and is opened by a worker as the service's user, so a path outside these folders (/etc/shadow, /dev/zero,
/// a symbolic link leading out) is refused before anything is opened. The Trainer's own CLI is not bound by them.
/// </summary>
public sealed class DataRootsOptions : IValidatableObject
{
    public const string SectionName = "Data";

    /// <summary>
    /// The data roots. Empty (the default) means <see cref="DefaultRoots"/>. (Not pre-filled: the configuration
    /// binder overwrites list items by index, so defaults would linger beside configured roots.)
    /// </summary>
    public List<string> Roots { get; set; } = [];

    /// <summary>
    /// The project's data folder (data/ under the working directory) and the folders the documented dataset packages
    /// install to: dataset-fashion-mnist (/usr/share/datasets), fortunes (/usr/share/games/fortunes) and the UCI digits
    /// shipped with python3-sklearn.
    /// </summary>
    public static IReadOnlyList<string> DefaultRoots { get; } =
        ["data", "/usr/share/datasets", "/usr/share/games/fortunes", "/usr/lib/python3/dist-packages/sklearn/datasets/data"];

    /// <summary>The roots in effect, as full real paths (a root that is itself a symbolic link is followed).</summary>
    public IReadOnlyList<string> ResolvedRoots => (Roots.Count > 0 ? Roots : DefaultRoots).Select(RealPath.Of).Distinct(StringComparer.Ordinal).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Roots.Count; i++)
        {
            var root = Roots[i];
            if (string.IsNullOrWhiteSpace(root) || root.Any(char.IsControl))
            {
                yield return new ValidationResult($"Data:Roots:{i} must be a folder path without control characters.", [nameof(Roots)]);
            }
            else if (RealPath.Of(root) == Path.GetPathRoot(RealPath.Of(root)))
            {
                yield return new ValidationResult($"Data:Roots:{i} ({root}) is a file system root: every file would be a dataset.", [nameof(Roots)]);
            }
        }
    }
}
