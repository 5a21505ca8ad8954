namespace GreenTrain.ServiceDefaults.Data;

/// <summary>
/// A path with every symbolic link in it followed, as the kernel follows them (a ".." after a link leaves the link's
/// target, not the link's folder), like realpath(3) but without needing the path to exist: the part that exists is
/// resolved, the rest is kept as written. Deciding on the real path is what stops a link inside a data root, or a
/// "..", from leading out of it.
/// </summary>
public static class RealPath
{
    /// <summary>Linux's own limit on links followed in one lookup (ELOOP).</summary>
    private const int MaxLinks = 40;

    public static string Of(string path)
    {
        var absolute = Path.IsPathFullyQualified(path) ? path : Path.Join(Directory.GetCurrentDirectory(), path);
        var current = Path.GetPathRoot(absolute)!;
        var pending = new List<string>(Parts(absolute[current.Length..]));
        var links = 0;
        while (pending.Count > 0)
        {
            var part = pending[0];
            pending.RemoveAt(0);
            if (part == ".")
            {
                continue;
            }
            if (part == "..")
            {
                current = Path.GetDirectoryName(current) ?? current; // current is already real, so its parent is the real parent
                continue;
            }
            var next = Path.Join(current, part);
            var target = new FileInfo(next).LinkTarget;
            if (target is null)
            {
                current = next;
                continue;
            }
            if (++links > MaxLinks)
            {
                throw new IOException("Too many symbolic links.");
            }
            // The link's target replaces it: from the root when absolute, else from the folder holding the link.
            if (Path.IsPathRooted(target))
            {
                current = Path.GetPathRoot(target)!;
                target = target[current.Length..];
            }
            pending.InsertRange(0, Parts(target));
        }
        return current;
    }

    /// <summary>True when <paramref name="path"/> (a real path) is <paramref name="folder"/> or lies inside it.</summary>
    public static bool IsInside(string path, string folder)
    {
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var prefix = Path.EndsInDirectorySeparator(folder) ? folder : folder + Path.DirectorySeparatorChar;
        return path.Equals(folder, comparison) || path.StartsWith(prefix, comparison);
    }

    private static string[] Parts(string relative) =>
        relative.Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
}
