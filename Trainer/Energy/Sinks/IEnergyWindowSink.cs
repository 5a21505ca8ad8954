using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Sinks;

/// <summary>Where closed windows go: the run folder's energy.jsonl, or anything else that keeps them.</summary>
public interface IEnergyWindowSink
{
    void WriteRunInfo(EnergyRunInfo info);

    void Append(EnergyWindow window);
}
