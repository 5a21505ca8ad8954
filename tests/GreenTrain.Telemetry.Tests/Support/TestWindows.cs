using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Telemetry.Tests.Support;

/// <summary>Builds energy windows as the Trainer writes them, for accounting tests.</summary>
public static class TestWindows
{
    public static string TracePath => Path.Combine(AppContext.BaseDirectory, "data", "carbon", "de_2020.csv");

    public static EnergyWindow Make(DateTimeOffset start, TimeSpan length, EnergyPhase phase, long stepStart, long stepEnd,
        double gpuJoules, double cpuJoules = 0, double ramJoules = 0, long sequence = 0)
    {
        var seconds = length.TotalSeconds;
        var devices = new List<DeviceEnergy> { new("gpu:0", DeviceKind.Gpu, EnergyMethod.Counter, gpuJoules, gpuJoules / seconds, 90) };
        if (cpuJoules > 0)
        {
            devices.Add(new DeviceEnergy("cpu", DeviceKind.Cpu, EnergyMethod.Estimate, cpuJoules, cpuJoules / seconds, 50));
        }
        if (ramJoules > 0)
        {
            devices.Add(new DeviceEnergy("memory", DeviceKind.Memory, EnergyMethod.Estimate, ramJoules, ramJoules / seconds));
        }
        return new EnergyWindow("exp-1", "run-1", sequence, start, start + length, phase, stepStart, stepEnd, devices);
    }

    /// <summary>The trace's own value at a time stamp, read from the file's text, to check the accounting against.</summary>
    public static double TraceValue(string stamp) =>
        double.Parse(File.ReadLines(TracePath).First(l => l.StartsWith(stamp + ",", StringComparison.Ordinal)).Split(',')[1],
            System.Globalization.CultureInfo.InvariantCulture);
}
