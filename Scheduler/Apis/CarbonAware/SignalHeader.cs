using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Apis.CarbonAware;

/// <summary>
/// The SDK's shapes carry no signal field and its docs call every value marginal, which is only true of WattTime.
/// GreenTrain says which it is in a documented extension header: "marginal" (WattTime MOER), "average" (every other
/// provider and the traces) or "mixed" when one answer joins both. Clients that do not know the header ignore it.
/// </summary>
public static class SignalHeader
{
    public const string Name = "X-GreenTrain-Signal";

    public static void Set(HttpResponse response, IEnumerable<IntensitySignal> signals)
    {
        var distinct = signals.Distinct().ToList();
        if (distinct.Count > 0)
        {
            response.Headers[Name] = distinct.Count == 1 ? distinct[0].ToString().ToLowerInvariant() : "mixed";
        }
    }
}
