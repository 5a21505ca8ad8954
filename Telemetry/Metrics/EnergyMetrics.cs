using System.Diagnostics;
using System.Diagnostics.Metrics;
using GreenTrain.ServiceDefaults;
using GreenTrain.ServiceDefaults.Contracts;
using GreenTrain.Telemetry.Accounting;

namespace GreenTrain.Telemetry.Metrics;

/// <summary>
/// Energy and emissions as OpenTelemetry metrics on the GreenTrain.Telemetry meter, named after the
/// hardware semantic conventions: hw.energy (J, counter) and hw.power (W, gauge) with hw.id and hw.type
/// (gpu, cpu, memory); plus greentrain.emissions (g CO2eq, counter) and greentrain.intensity (gCO2eq/kWh, gauge).
/// </summary>
public sealed class EnergyMetrics
{
    private readonly Counter<double> _energy;
    private readonly Gauge<double> _power;
    private readonly Counter<double> _emissions;
    private readonly Gauge<double> _intensity;

    public EnergyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(GreenTrainTelemetry.TelemetryMeter);
        _energy = meter.CreateCounter<double>("hw.energy", "J", "Energy consumed by the component");
        _power = meter.CreateGauge<double>("hw.power", "W", "Mean power of the component over the last energy window");
        _emissions = meter.CreateCounter<double>("greentrain.emissions", "g", "Emissions billed to experiments, gCO2eq, PUE included");
        _intensity = meter.CreateGauge<double>("greentrain.intensity", "g/kWh", "Grid carbon intensity charged to the last window");
    }

    /// <summary>Records one priced window: energy and power per device, emissions per device when billed, and the intensity.</summary>
    public void Record(BilledWindow priced, string region)
    {
        var window = priced.Window;
        var seconds = EmissionsAccountant.Seconds(window);
        foreach (var device in window.Devices)
        {
            var tags = new TagList
            {
                { "hw.id", device.Device },
                { "hw.type", EmissionsAccountant.Label(device.Kind) },
                { "greentrain.experiment", window.ExperimentId },
                { "greentrain.phase", EmissionsAccountant.Label(window.Phase) },
                { "greentrain.method", EmissionsAccountant.Label(device.Method) },
            };
            _energy.Add(device.Joules, tags);
            if (seconds > 0)
            {
                _power.Record(device.Joules / seconds, tags);
            }
            if (priced.Billed)
            {
                var kwh = device.Joules / EmissionsAccountant.JoulesPerKwh;
                _emissions.Add(priced.EnergyKwh > 0 ? priced.EmissionsGrams * kwh / priced.EnergyKwh : 0, tags);
            }
        }
        _intensity.Record(priced.IntensityGramsPerKwh, new TagList
        {
            { "greentrain.region", region },
            { "greentrain.intensity.basis", priced.Basis == IntensityBasis.Series ? "series" : "average" },
        });
    }
}
