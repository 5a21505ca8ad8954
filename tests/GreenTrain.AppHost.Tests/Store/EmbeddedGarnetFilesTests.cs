using GreenTrain.AppHost.Store;
using StackExchange.Redis;

namespace GreenTrain.AppHost.Tests.Store;

/// <summary>
/// What the embedded store leaves on disk: only its user can read it (the store password protects nothing if the
/// append-only file is world-readable), and overwriting checkpoint-sized values does not grow it without bound.
/// A real embedded Garnet in this process, real files.
/// </summary>
public sealed class EmbeddedGarnetFilesTests : IDisposable
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly string _root = Path.Combine(Path.GetTempPath(), $"greentrain-garnet-files-{Guid.NewGuid():N}");

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix modes; Windows protects the user's profile by its ACLs
    public async Task The_data_folder_and_every_file_in_it_are_readable_by_their_owner_only_even_in_a_folder_that_existed()
    {
        var dataPath = Path.Combine(_root, "store");
        // A folder left by an older version, created with the usual 0755.
        Directory.CreateDirectory(dataPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);

        using (var server = EmbeddedGarnet.Start(dataPath))
        {
            await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
            for (var i = 0; i < 100; i++)
            {
                await client.GetDatabase().StringSetAsync($"greentrain:test:{i}", new string('x', 10_000));
            }
            await server.CompactAsync(); // a checkpoint: the files it writes are new files too
        }
        using (EmbeddedGarnet.Start(dataPath))
        {
            // started again over the files of the first run
        }

        File.GetUnixFileMode(dataPath).Should().Be(OwnerOnlyFolder);
        var entries = Directory.EnumerateFileSystemEntries(dataPath, "*", SearchOption.AllDirectories).ToList();
        entries.Where(File.Exists).Should().NotBeEmpty("Garnet writes its append-only file and checkpoints here");
        entries.Where(e => (File.GetUnixFileMode(e) & GroupOrOther) != 0)
            .Select(e => $"{e} {File.GetUnixFileMode(e)}")
            .Should().BeEmpty("no file or folder of the store may be open to the group or others");
        entries.Where(File.Exists).Should().OnlyContain(f => File.GetUnixFileMode(f) == OwnerOnlyFile);
    }

    [Fact]
    public async Task Overwriting_and_deleting_checkpoint_chunks_keeps_the_files_within_a_small_multiple_of_the_live_data()
    {
        var dataPath = Path.Combine(_root, "store");
        const int chunkBytes = 1 << 20;
        const int liveChunks = 32; // 32 MB live, as a small model's two kept checkpoints
        const int rounds = 20;     // 640 MB written: a checkpoint every few seconds for a while
        var chunk = new byte[chunkBytes];
        Random.Shared.NextBytes(chunk);
        long largest;
        var largestFiles = "";
        using (var server = EmbeddedGarnet.Start(dataPath, aofCompactBytes: 32L << 20))
        {
            await using var client = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{server.Port}");
            var db = client.GetDatabase();
            largest = 0;
            for (var round = 0; round < rounds; round++)
            {
                // Each round a new checkpoint id, as the trainer writes them, and the one before it deleted.
                for (var n = 0; n < liveChunks; n++)
                {
                    await db.StringSetAsync($"greentrain:checkpoint:exp:{round}:chunk:{n}", chunk);
                }
                if (round > 0)
                {
                    await db.KeyDeleteAsync([.. Enumerable.Range(0, liveChunks).Select(n => (RedisKey)$"greentrain:checkpoint:exp:{round - 1}:chunk:{n}")]);
                }
                await server.CompactIfLargeAsync();
                if (FolderBytes(dataPath) > largest)
                {
                    largest = FolderBytes(dataPath);
                    largestFiles = string.Join(", ", Directory.EnumerateFiles(dataPath, "*", SearchOption.AllDirectories)
                        .Select(f => $"{Path.GetRelativePath(dataPath, f)} {new FileInfo(f).Length >> 20} MB"));
                }
            }
        }
        var live = (long)liveChunks * chunkBytes;
        largest.Should().BeLessThan(6 * live, $"the store's files must stay within a small multiple of the {live >> 20} MB live, after {rounds * live >> 20} MB written (at the largest: {largestFiles})");

        // Compaction must not lose data: the last round's chunks survive a restart.
        using var again = EmbeddedGarnet.Start(dataPath);
        await using var reader = await ConnectionMultiplexer.ConnectAsync($"127.0.0.1:{again.Port}");
        for (var n = 0; n < liveChunks; n++)
        {
            ((byte[]?)await reader.GetDatabase().StringGetAsync($"greentrain:checkpoint:exp:{rounds - 1}:chunk:{n}")).Should().Equal(chunk);
        }
        (await reader.GetDatabase().KeyExistsAsync($"greentrain:checkpoint:exp:{rounds - 2}:chunk:0")).Should().BeFalse();
    }

    private static long FolderBytes(string path) =>
        Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
