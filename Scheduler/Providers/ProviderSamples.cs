using GreenTrain.ServiceDefaults.Carbon.Traces;
using System.Text.Json;
using GreenTrain.ServiceDefaults.Carbon;

namespace GreenTrain.Scheduler.Providers;

/// <summary>Builds a series from a provider's (time, value) points, dropping nulls as gaps and failing with NoData when nothing is left.</summary>
internal static class ProviderSamples
{
    public static IntensitySeries ToSeries(List<(DateTimeOffset Time, double Value)> points, string region, IntensitySignal signal, string provider)
    {
        if (points.Count == 0)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.NoData, $"no intensity values for {region} (empty or all null)");
        }
        return PointSamples.ToSeries(points, region, signal, provider, provider);
    }

    public static IntensitySeries FromIntervals(List<IntensityInterval> intervals, string region, string provider)
    {
        if (intervals.Count == 0)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.NoData, $"no intensity values for {region} (empty or all null)");
        }
        try
        {
            return new IntensitySeries(region, intervals);
        }
        catch (ArgumentException ex)
        {
            throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, ex.Message, inner: ex);
        }
    }

    public static DateTimeOffset Time(JsonElement element, string path, string provider) =>
        element.ValueKind == JsonValueKind.String && TraceValues.TryParseTime(element.GetString()!, out var time)
            ? time
            : throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{path} is not a time stamp");

    /// <summary>A number, or null for a JSON null (a gap); anything else is malformed.</summary>
    public static double? Number(JsonElement element, string path, string provider) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetDouble(),
        JsonValueKind.Null => null,
        _ => throw new IntensityProviderException(provider, ProviderErrorKind.Malformed, $"{path} is not a number"),
    };
}
