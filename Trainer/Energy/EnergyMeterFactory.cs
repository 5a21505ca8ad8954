using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Trainer.Energy.Estimates;
using GreenTrain.Trainer.Energy.Nvml;
using GreenTrain.Trainer.Energy.Rapl;

namespace GreenTrain.Trainer.Energy;

/// <summary>
/// Picks the best source for each device, in the order the measurement rules give: counters (NVML total
/// energy, RAPL), then integrated power, then a model. What it chose, and why, is in <see cref="Notes"/>.
/// </summary>
public sealed class EnergyMeterFactory(EnergyOptions options, Func<INvmlBinding?>? nvml = null, TimeProvider? time = null)
{
    private readonly List<string> _notes = [];

    /// <summary>One line per decision ("gpu:0 NVIDIA H100: counter", "no RAPL: CPU estimated at 85 W TDP").</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Host facts read on the way, for <see cref="EnergyRunInfo"/>.</summary>
    public HostInfo Host { get; private set; } = new(null, Environment.ProcessorCount, 0);

    public IReadOnlyList<IEnergySource> CreateSources()
    {
        _notes.Clear();
        Host = HostInfo.Read(options.ProcRoot);
        var sources = new List<IEnergySource>();
        AddGpus(sources);
        var rapl = RaplDiscovery.Discover(options.PowercapRoot, skipped => _notes.Add($"RAPL domain skipped: {skipped}"));
        sources.AddRange(rapl);
        foreach (var domain in rapl)
        {
            _notes.Add($"{domain.Device} ({domain.Model}): counter (RAPL {domain.Folder})");
        }
        if (!rapl.Any(d => d.Kind == DeviceKind.Cpu))
        {
            var (watts, source) = CpuTdpTable.Lookup(Host.CpuModel, options.CpuTdpWatts);
            sources.Add(new CpuEstimateSource(Path.Combine(options.ProcRoot, "stat"), watts, Host.CpuModel, time, StatusPeriod));
            _notes.Add($"cpu ({Host.CpuModel ?? "unknown model"}): estimate, TDP {watts} W ({source}) x utilisation; no RAPL package domain");
        }
        if (!rapl.Any(d => d.Kind == DeviceKind.Memory) && Host.RamTotalGb > 0)
        {
            sources.Add(new MemoryEstimateSource(Host.RamTotalGb, options.RamWattsPerGb, time, Path.Combine(options.ProcRoot, "meminfo")));
            _notes.Add($"memory ({Host.RamTotalGb:F1} GB): estimate, {options.RamWattsPerGb} W/GB; no RAPL DRAM domain");
        }
        return sources;
    }

    private TimeSpan StatusPeriod => TimeSpan.FromMilliseconds(options.StatusSamplePeriodMs);

    /// <param name="publish">Receives each window once its readings are in (see <see cref="EnergyMeter"/>): hand it on, do not block.</param>
    public EnergyMeter CreateMeter(string experimentId, string runId, Action<EnergyWindow> publish) =>
        new(experimentId, runId, CreateSources(), publish, time);

    /// <summary>What the run says about its hardware once, for the report (ids and plan filled in by the caller).</summary>
    public EnergyRunInfo DescribeRun(string experimentId, string runId, IReadOnlyList<IEnergySource> sources) => new(
        experimentId, runId,
        Machine: Environment.MachineName,
        OperatingSystem: System.Runtime.InteropServices.RuntimeInformation.OSDescription,
        CpuModel: Host.CpuModel,
        CpuCount: Host.CpuCount,
        RamTotalGb: Host.RamTotalGb,
        Gpus: sources.Where(s => s.Kind == DeviceKind.Gpu).Select(s => s.Model ?? s.Device).ToList());

    private void AddGpus(List<IEnergySource> sources)
    {
        if (!options.UseNvml)
        {
            _notes.Add("GPUs not measured: Energy:UseNvml is false");
            return;
        }
        string? whyNot = null;
        var binding = nvml is null ? NvmlNativeBinding.TryCreate(out whyNot) : nvml();
        if (binding is null || binding.DeviceCount == 0)
        {
            _notes.Add($"no GPU measured: {whyNot ?? "NVML reports no GPU"}");
            binding?.Dispose();
            return;
        }
        var period = TimeSpan.FromMilliseconds(options.PowerSamplePeriodMs);
        for (var i = 0; i < binding.DeviceCount; i++)
        {
            var gpu = new NvmlGpuSource(binding, i, period, time, StatusPeriod);
            sources.Add(gpu);
            _notes.Add($"{gpu.Device} ({gpu.Model}): {gpu.Method.ToString().ToLowerInvariant()} (NVML)");
        }
        // The binding lives as long as the process: NVML is shut down at exit by the driver.
    }
}
