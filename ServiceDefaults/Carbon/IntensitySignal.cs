namespace GreenTrain.ServiceDefaults.Carbon;

/// <summary>
/// Which question an intensity answers. Average: the emissions of the mix that supplies an extra kWh on
/// average (what accounting uses). Marginal: the emissions of the generator that answers an extra kWh
/// (WattTime's MOER), which is what shifting load actually changes.
/// </summary>
public enum IntensitySignal
{
    Average,
    Marginal,
}
