namespace GreenTrain.ServiceDefaults.Carbon;

/// <summary>
/// The carbon intensity of one region's grid over [Start, End), in grams CO2-equivalent per kWh,
/// as one source reported or forecast it.
/// </summary>
public sealed record IntensityInterval(
    DateTimeOffset Start,
    DateTimeOffset End,
    double GramsPerKWh,
    IntensitySignal Signal,
    string Source,
    string Region)
{
    public TimeSpan Duration => End - Start;
}
