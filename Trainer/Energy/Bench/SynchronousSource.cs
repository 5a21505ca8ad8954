using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Bench;

/// <summary>
/// A source as the meter read every source before GPUs moved to background readers: on the training thread, at the
/// boundary. The bench wraps the real sources in it to time the old way beside the new one. Disposing it leaves
/// the inner source alone (the real meter owns it).
/// </summary>
public sealed class SynchronousSource(IEnergySource inner) : IEnergySource
{
    public string Device => inner.Device;

    public DeviceKind Kind => inner.Kind;

    public EnergyMethod Method => inner.Method;

    public string? Model => inner.Model;

    public bool ReadsSlowly => false;

    public EnergyReading Read() => inner.Read();

    public void Dispose()
    {
    }
}
