using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Rapl;
using GreenTrain.Testing.Files;

namespace GreenTrain.Trainer.Tests.Energy.Rapl;

/// <summary>Runs against a powercap folder laid out as Linux lays out /sys/class/powercap.</summary>
public sealed class RaplDomainTests : IDisposable
{
    private const ulong MaxRange = 262_143_328_850; // a real package's max_energy_range_uj
    private readonly ScratchFolder _sysfs = new();

    public RaplDomainTests()
    {
        Zone("intel-rapl:0", "package-0", 1_000_000);
        Zone("intel-rapl:0/intel-rapl:0:0", "core", 400_000);
        Zone("intel-rapl:0/intel-rapl:0:1", "dram", 2_000_000);
        Zone("intel-rapl:1", "package-1", 3_000_000);
        Zone("intel-rapl:1/intel-rapl:1:0", "dram", 4_000_000);
        Zone("intel-rapl-mmio:0", "package-0", 7); // the MMIO copy of package 0: must not be counted twice
    }

    [Fact]
    public void Discovery_finds_packages_and_dram_but_not_their_cores()
    {
        var domains = RaplDiscovery.Discover(_sysfs.Path);

        domains.Select(d => (d.Device, d.Kind)).Should().Equal(
            ("cpu:package-0", DeviceKind.Cpu), ("memory:dram-0", DeviceKind.Memory),
            ("cpu:package-1", DeviceKind.Cpu), ("memory:dram-1", DeviceKind.Memory));
        domains.Should().OnlyContain(d => d.Method == EnergyMethod.Counter);
    }

    [Fact]
    public void Counter_wraparound_adds_the_range_back()
    {
        SetEnergy("intel-rapl:0", MaxRange - 1_000_000);
        var package = new RaplDomain(Path.Combine(_sysfs.Path, "intel-rapl:0"), "cpu:package-0", DeviceKind.Cpu);

        SetEnergy("intel-rapl:0", MaxRange - 250_000);
        package.Read().TotalJoules.Should().BeApproximately(0.75, 1e-12);
        SetEnergy("intel-rapl:0", 500_000); // wrapped: 250 000 uJ to the top, then 500 000 uJ
        package.Read().TotalJoules.Should().BeApproximately(1.5, 1e-12);
    }

    [Fact]
    public void A_missing_powercap_folder_means_no_rapl()
    {
        RaplDiscovery.Discover(Path.Combine(_sysfs.Path, "absent")).Should().BeEmpty();
    }

    [Fact]
    public void A_counter_that_is_not_a_number_is_reported_with_its_file()
    {
        SetEnergy("intel-rapl:1", "n/a");
        var skipped = new List<string>();

        RaplDiscovery.Discover(_sysfs.Path, skipped.Add).Should().NotContain(d => d.Device == "cpu:package-1");
        skipped.Should().ContainSingle().Which.Should().Contain("energy_uj").And.Contain("n/a");
    }

    private void Zone(string relative, string name, ulong energy)
    {
        _sysfs.File(Path.Combine(relative, "name"), name + "\n");
        _sysfs.File(Path.Combine(relative, "max_energy_range_uj"), MaxRange + "\n");
        SetEnergy(relative, energy);
    }

    private void SetEnergy(string relative, object value) => _sysfs.File(Path.Combine(relative, "energy_uj"), value + "\n");

    public void Dispose() => _sysfs.Dispose();
}
