namespace GreenTrain.AppHost.Store;

/// <summary>
/// Keeps a folder and everything in it readable by its owner only: the folder (and every folder under it) 0700, every
/// file 0600, including a folder an older version created 0755 and the files Garnet creates while it runs (a watcher
/// sets them as they appear). Garnet creates its files with the process's umask; changing that would change it for
/// everything the AppHost starts, so the modes are set here instead. The 0700 folder is what keeps others out even
/// in the moment before a new file's mode is set.
/// </summary>
public sealed class OwnerOnlyFolder : IDisposable
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly string _path;
    private readonly FileSystemWatcher? _watcher;

    private OwnerOnlyFolder(string path, FileSystemWatcher? watcher)
    {
        _path = path;
        _watcher = watcher;
    }

    public static OwnerOnlyFolder Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path); // NTFS ACLs of the user's profile already apply; no Unix modes there
            return new OwnerOnlyFolder(path, null);
        }
        Directory.CreateDirectory(path, FolderMode);
        var watcher = new FileSystemWatcher(path) { IncludeSubdirectories = true };
        var folder = new OwnerOnlyFolder(path, watcher);
        watcher.Created += (_, e) => SecureEntry(e.FullPath);
        watcher.Renamed += (_, e) => SecureEntry(e.FullPath);
        watcher.EnableRaisingEvents = true;
        folder.SecureEntries();
        return folder;
    }

    /// <summary>Sets the modes of the folder and everything in it now (after a step known to create files).</summary>
    public void SecureEntries()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        SecureEntry(_path);
        foreach (var entry in Directory.EnumerateFileSystemEntries(_path, "*", SearchOption.AllDirectories))
        {
            SecureEntry(entry);
        }
    }

    private static void SecureEntry(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        try
        {
            if (Directory.Exists(path))
            {
                File.SetUnixFileMode(path, FolderMode);
            }
            else if (File.Exists(path))
            {
                File.SetUnixFileMode(path, FileMode);
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            // Gone again (a temporary file Garnet replaced): nothing left to protect.
        }
    }

    public void Dispose() => _watcher?.Dispose();
}
