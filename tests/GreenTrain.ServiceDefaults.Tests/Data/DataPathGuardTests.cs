using GreenTrain.ServiceDefaults.Data;

namespace GreenTrain.ServiceDefaults.Tests.Data;

/// <summary>A dataset path from the API may lead only into the data roots, whatever links and ".." it holds, and a refusal reveals nothing.</summary>
public sealed class DataPathGuardTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("greentrain-roots-").FullName;
    private readonly string _root;
    private readonly string[] _roots;

    public DataPathGuardTests()
    {
        _root = Directory.CreateDirectory(Path.Combine(_work, "data")).FullName;
        File.WriteAllText(Path.Combine(_root, "corpus.txt"), "some text");
        Directory.CreateDirectory(Path.Combine(_root, "books"));
        _roots = [RealPath.Of(_root)];
    }

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("/etc")]
    [InlineData("/dev/zero")]
    [InlineData("/")]
    public void Paths_outside_the_roots_are_refused(string path) =>
        DataPathGuard.Refusal(path, _roots).Should().Contain("Data:Roots");

    [Fact]
    public void Files_and_folders_inside_the_roots_are_allowed()
    {
        DataPathGuard.Refusal(Path.Combine(_root, "corpus.txt"), _roots).Should().BeNull();
        DataPathGuard.Refusal(Path.Combine(_root, "books"), _roots).Should().BeNull();
        DataPathGuard.Refusal(Path.Combine(_root, "not-yet-there.txt"), _roots).Should().BeNull();
    }

    [Fact]
    public void Dot_dot_out_of_a_root_is_refused()
    {
        DataPathGuard.Refusal(Path.Combine(_root, "..", "..", "..", "etc", "passwd"), _roots).Should().NotBeNull();
        DataPathGuard.Refusal(_root + "/books/../../data-sibling", _roots).Should().NotBeNull();
    }

    [Fact]
    public void A_symbolic_link_leading_out_is_refused_and_one_staying_inside_is_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_root, "shadow.txt"), "/etc/shadow");
        Directory.CreateSymbolicLink(Path.Combine(_root, "etc"), "/etc");
        File.CreateSymbolicLink(Path.Combine(_root, "alias.txt"), "corpus.txt");
        // A ".." after a link leaves the link's target (as the kernel does), not the folder the link is in.
        Directory.CreateSymbolicLink(Path.Combine(_root, "deep"), "/usr/share");

        DataPathGuard.Refusal(Path.Combine(_root, "shadow.txt"), _roots).Should().NotBeNull();
        DataPathGuard.Refusal(Path.Combine(_root, "etc", "passwd"), _roots).Should().NotBeNull();
        DataPathGuard.Refusal(Path.Combine(_root, "deep", "..", "data", "corpus.txt"), _roots).Should().NotBeNull();
        DataPathGuard.Refusal(Path.Combine(_root, "alias.txt"), _roots).Should().BeNull();
        RealPath.Of(Path.Combine(_root, "alias.txt")).Should().Be(Path.Combine(_roots[0], "corpus.txt"));
    }

    [Fact]
    public void A_device_or_a_pipe_inside_a_root_is_refused()
    {
        var fifo = Path.Combine(_root, "pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
            mkfifo.ExitCode.Should().Be(0);
        }
        string[] rootsWithDev = [.. _roots, "/dev"];

        DataPathGuard.Refusal(fifo, _roots).Should().Contain("not a device, pipe or socket");
        DataPathGuard.Refusal("/dev/zero", rootsWithDev).Should().Contain("not a device, pipe or socket");
        DataPathGuard.Refusal(Path.Combine(_root, "corpus.txt"), rootsWithDev).Should().BeNull();
        FileKinds.Of(Path.Combine(_root, "books")).Should().Be(FileKind.Directory);
        FileKinds.Of(Path.Combine(_root, "corpus.txt")).Should().Be(FileKind.RegularFile);
        FileKinds.Of(Path.Combine(_root, "not-yet-there.txt")).Should().Be(FileKind.Missing);
    }

    [Fact]
    public void A_refusal_reads_the_same_whether_the_file_exists_or_not()
    {
        var existing = DataPathGuard.Refusal("/etc/passwd", _roots);
        var missing = DataPathGuard.Refusal("/etc/no-such-file-here", _roots);

        existing.Should().NotBeNull().And.Be(missing);
    }

    [Fact]
    public void A_root_that_is_the_whole_file_system_is_refused_at_start()
    {
        var options = new DataRootsOptions { Roots = ["/"] };

        options.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(options)).Should().ContainSingle()
            .Which.ErrorMessage.Should().Contain("Data:Roots:0");
    }
}
