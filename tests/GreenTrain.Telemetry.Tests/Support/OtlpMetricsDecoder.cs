using System.Buffers.Binary;
using System.Text;

namespace GreenTrain.Telemetry.Tests.Support;

/// <summary>One data point of a metric as an OTLP collector (the Aspire dashboard) receives it.</summary>
public sealed record OtlpPoint(string Metric, string Unit, string Kind, bool Monotonic, double Value, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// Reads the metric part of an OTLP/HTTP protobuf body (ExportMetricsServiceRequest) by walking the protobuf
/// wire format with the field numbers of opentelemetry-proto's metrics.proto and common.proto, so a test sees
/// exactly what left the process without a generated client. Only what a dashboard shows is read: names, units,
/// gauge or sum, monotonicity, double values and string attributes.
/// </summary>
public static class OtlpMetricsDecoder
{
    public static List<OtlpPoint> Decode(byte[] body)
    {
        var points = new List<OtlpPoint>();
        foreach (var resource in Fields(body).Where(f => f.Number == 1))           // ExportMetricsServiceRequest.resource_metrics
        {
            foreach (var scope in Fields(resource.Bytes).Where(f => f.Number == 2))  // ResourceMetrics.scope_metrics
            {
                foreach (var metric in Fields(scope.Bytes).Where(f => f.Number == 2)) // ScopeMetrics.metrics
                {
                    points.AddRange(Metric(metric.Bytes));
                }
            }
        }
        return points;
    }

    private static IEnumerable<OtlpPoint> Metric(byte[] metric)
    {
        var fields = Fields(metric).ToList();
        var name = Text(fields, 1);
        var unit = Text(fields, 3);
        foreach (var (number, kind) in new[] { (5, "gauge"), (7, "sum") }) // Metric.gauge, Metric.sum
        {
            foreach (var data in fields.Where(f => f.Number == number))
            {
                var dataFields = Fields(data.Bytes).ToList();
                var monotonic = kind == "sum" && dataFields.Any(f => f.Number == 3 && f.Varint == 1); // Sum.is_monotonic
                foreach (var point in dataFields.Where(f => f.Number == 1)) // data_points
                {
                    var pointFields = Fields(point.Bytes).ToList();
                    var value = pointFields.FirstOrDefault(f => f.Number == 4) is { Bytes: { Length: 8 } raw } // NumberDataPoint.as_double
                        ? BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64LittleEndian(raw))
                        : double.NaN;
                    var attributes = pointFields.Where(f => f.Number == 7).Select(a => Attribute(a.Bytes)) // NumberDataPoint.attributes
                        .Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!);
                    yield return new OtlpPoint(name, unit, kind, monotonic, value, attributes);
                }
            }
        }
    }

    private static (string Key, string? Value) Attribute(byte[] keyValue)
    {
        var fields = Fields(keyValue).ToList();
        var any = fields.FirstOrDefault(f => f.Number == 2)?.Bytes ?? [];
        return (Text(fields, 1), Fields(any).FirstOrDefault(f => f.Number == 1) is { } s ? Encoding.UTF8.GetString(s.Bytes) : null); // AnyValue.string_value
    }

    private static string Text(List<Field> fields, int number) =>
        fields.FirstOrDefault(f => f.Number == number) is { } f ? Encoding.UTF8.GetString(f.Bytes) : "";

    private sealed record Field(int Number, ulong Varint, byte[] Bytes);

    /// <summary>The fields of one message: varints keep their value, length-delimited and fixed ones their bytes.</summary>
    private static IEnumerable<Field> Fields(byte[] message)
    {
        var at = 0;
        while (at < message.Length)
        {
            var key = ReadVarint(message, ref at);
            var number = (int)(key >> 3);
            switch (key & 7)
            {
                case 0:
                    yield return new Field(number, ReadVarint(message, ref at), []);
                    break;
                case 1:
                    yield return new Field(number, 0, message[at..(at + 8)]);
                    at += 8;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref at);
                    yield return new Field(number, 0, message[at..(at + length)]);
                    at += length;
                    break;
                case 5:
                    yield return new Field(number, 0, message[at..(at + 4)]);
                    at += 4;
                    break;
                default:
                    throw new FormatException($"Unknown protobuf wire type {key & 7} at byte {at}.");
            }
        }
    }

    private static ulong ReadVarint(byte[] message, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = message[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return value;
            }
        }
    }
}
