using System.Runtime.InteropServices;

namespace GreenTrain.ServiceDefaults.Data;

/// <summary>What a path is on disk, as far as reading a data set from it is concerned.</summary>
public enum FileKind
{
    Missing,
    RegularFile,
    Directory,
    /// <summary>A character or block device, a named pipe or a socket: reading one never ends (/dev/zero) or blocks (a FIFO).</summary>
    Special,
}

/// <summary>
/// Tells a device, pipe or socket apart from a regular file. .NET's FileInfo reports all of them as "Normal" files of
/// length 0 on Linux, so the file type is read from statx(2), whose buffer layout is the same on every Linux
/// architecture (unlike struct stat). Elsewhere, or where statx is missing, only files and folders are told apart.
/// </summary>
public static class FileKinds
{
    private const int AtFdCwd = -100;
    private const uint StatxType = 0x1;
    private const int ModeOffset = 28; // struct statx: stx_mask, stx_blksize (u32), stx_attributes (u64), stx_nlink, stx_uid, stx_gid (u32), stx_mode (u16)
    private const int TypeMask = 0xF000, RegularType = 0x8000, DirectoryType = 0x4000;

    public static FileKind Of(string path)
    {
        if (OperatingSystem.IsLinux() && TryStatxMode(path, out var mode))
        {
            return (mode & TypeMask) switch
            {
                RegularType => FileKind.RegularFile,
                DirectoryType => FileKind.Directory,
                _ => FileKind.Special,
            };
        }
        return Directory.Exists(path) ? FileKind.Directory : File.Exists(path) ? FileKind.RegularFile : FileKind.Missing;
    }

    private static bool TryStatxMode(string path, out int mode)
    {
        mode = 0;
        var buffer = new byte[256];
        try
        {
            if (statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
            {
                return false; // missing or unreadable: the fallback says Missing, which the caller treats as "not there yet"
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        mode = BitConverter.ToUInt16(buffer, ModeOffset);
        return true;
    }

#pragma warning disable SYSLIB1054 // DllImport keeps the project free of unsafe code; called once per submitted data path.
    [DllImport("libc", SetLastError = true)]
    private static extern int statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);
#pragma warning restore SYSLIB1054
}
