using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace GreenTrain.ServiceDefaults.Contracts;

/// <summary>
/// Where a run stops part of the way through its spec, to be continued later from its checkpoint: a sweep's rung
/// trains a trial to <see cref="Value"/> steps (or epochs) on the schedule of the whole trial, and a promotion raises
/// the limit and resumes the same experiment. Stored as "steps:30" or "epochs:2" (key
/// greentrain:experiment:{id}:segment-limit, and the progress hash's stoppedAt once the worker stopped there).
/// </summary>
[JsonConverter(typeof(SegmentLimitJsonConverter))]
public sealed record SegmentLimit(SegmentUnit Unit, int Value)
{
    public long? Step => Unit == SegmentUnit.Steps ? Value : null;

    public int? Epoch => Unit == SegmentUnit.Epochs ? Value : null;

    /// <summary>The limit's share of the spec's length (1 when the spec is measured in the other unit): what the plan must cover.</summary>
    public double ShareOf(TrainingSpec training) => (Unit == SegmentUnit.Steps ? training.Steps : training.Epochs) is { } length and > 0
        ? Math.Clamp(Value / (double)length, 0, 1) : 1;

    public string Wire => $"{(Unit == SegmentUnit.Steps ? "steps" : "epochs")}:{Value.ToString(CultureInfo.InvariantCulture)}";

    public override string ToString() => Wire;

    /// <summary>"steps:N" or "epochs:N" with N >= 1; null for anything else (an empty field, a value written by something else).</summary>
    public static SegmentLimit? Parse(string? text)
    {
        var parts = text?.Split(':');
        if (parts is not [var unit, var number] || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
        {
            return null;
        }
        return unit switch
        {
            "steps" => new SegmentLimit(SegmentUnit.Steps, value),
            "epochs" => new SegmentLimit(SegmentUnit.Epochs, value),
            _ => null,
        };
    }
}

public enum SegmentUnit { Steps, Epochs }

/// <summary>A limit in JSON (the Scheduler's records, the API) is its wire text, "steps:30", as in the store.</summary>
public sealed class SegmentLimitJsonConverter : JsonConverter<SegmentLimit>
{
    public override SegmentLimit? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        SegmentLimit.Parse(reader.GetString()) ?? throw new JsonException($"not a segment limit (\"steps:N\" or \"epochs:N\"): {reader.GetString()}");

    public override void Write(Utf8JsonWriter writer, SegmentLimit value, JsonSerializerOptions options) => writer.WriteStringValue(value.Wire);
}
