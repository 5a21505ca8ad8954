using System.Diagnostics;

namespace GreenTrain.Trainer.Tests.Build;

/// <summary>The build's patch script, run on a copy of the shipped library as the build runs it.</summary>
public sealed class LibTorchSharpPatchTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("patch-");

    private static string RepositoryFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "GreenTrain.Aspire.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new DirectoryNotFoundException("repository root"), relative);
    }

    private static string ShippedLibrary()
    {
        var nuget = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        return Path.Combine(nuget, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
    }

    private (int Exit, string Output) Patch(string? libstdcxx)
    {
        var start = new ProcessStartInfo("bash", [RepositoryFile("Trainer/build/patch-libtorchsharp.sh"), _folder.FullName]) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (libstdcxx is not null) start.Environment["GREENTRAIN_LIBSTDCXX"] = libstdcxx;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [Fact]
    public void On_a_libstdcxx_with_glibcxx_3_4_32_the_library_is_left_as_shipped()
    {
        var library = Path.Combine(_folder.FullName, "libLibTorchSharp.so");
        File.Copy(ShippedLibrary(), library);
        var newer = Path.Combine(_folder.FullName, "libstdc++.so.6");
        File.WriteAllText(newer, "...GLIBCXX_3.4.32...");

        var (exit, output) = Patch(newer);

        exit.Should().Be(0, output);
        output.Should().Contain("no patch needed");
        File.ReadAllBytes(library).Should().Equal(File.ReadAllBytes(ShippedLibrary()));
        File.Exists(Path.Combine(_folder.FullName, "libgreentrain_iosinit.so")).Should().BeFalse();
    }

    [Fact]
    public void On_an_older_libstdcxx_the_copy_gets_the_shim_and_a_weak_version_and_the_cache_is_untouched()
    {
        var library = Path.Combine(_folder.FullName, "libLibTorchSharp.so");
        File.Copy(ShippedLibrary(), library);
        var older = Path.Combine(_folder.FullName, "old-libstdc++.so.6");
        File.WriteAllText(older, "...GLIBCXX_3.4.30...");
        var cacheBefore = File.ReadAllBytes(ShippedLibrary());

        var (exit, output) = Patch(older);
        var (again, _) = Patch(older);

        exit.Should().Be(0, output);
        again.Should().Be(0, "patching twice is harmless");
        File.Exists(Path.Combine(_folder.FullName, "libgreentrain_iosinit.so")).Should().BeTrue();
        var readelf = Process.Start(new ProcessStartInfo("readelf", ["-dV", library]) { RedirectStandardOutput = true })!;
        var elf = readelf.StandardOutput.ReadToEnd();
        readelf.WaitForExit();
        elf.Should().Contain("[libgreentrain_iosinit.so]").And.MatchRegex(@"Name: GLIBCXX_3\.4\.32\s+Flags: WEAK");
        File.ReadAllBytes(ShippedLibrary()).Should().Equal(cacheBefore);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
