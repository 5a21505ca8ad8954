using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace GreenTrain.ServiceDefaults.Cli;

/// <summary>
/// Options that several verbs share, built once so that each parses and rejects the same way: typed values (an
/// `int` option refuses `2.7` rather than truncating it), ranges checked at parse time, messages naming the option.
/// </summary>
public static class CliOptions
{
    /// <summary>`--device auto|cpu|cuda|cuda:N`.</summary>
    public static Option<DeviceRequest> Device(DeviceRequest fallback, string? description = null) => new("--device")
    {
        Description = description ?? $"the training device: {DeviceRequest.Accepted}",
        HelpName = "auto|cpu|cuda|cuda:N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
            if (DeviceRequest.TryParse(text, out var request))
            {
                return request;
            }
            result.AddError($"--device must be {DeviceRequest.Accepted}, not '{text}'.");
            return default;
        },
    };

    /// <summary>`--name N`: a whole number of at least <paramref name="min"/>; `2.7` is refused, not truncated.</summary>
    public static Option<int> Int(string name, string description, int fallback, int min = 1) => new(name)
    {
        Description = description,
        HelpName = "N",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => Parsed(result, name, min, int.MaxValue,
            text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number"),
    };

    /// <summary>`--name N` without a default: a whole number from <paramref name="min"/> to <paramref name="max"/>, null when not given.</summary>
    public static Option<int?> OptionalInt(string name, string description, int min, int max = int.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "N",
        CustomParser = result => Parsed(result, name, min, max,
            text => int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null, "a whole number"),
    };

    /// <summary>`--name X`: a number of at least <paramref name="min"/> (and at most <paramref name="max"/>).</summary>
    public static Option<double> Number(string name, string description, double fallback, double min, double max = double.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "X",
        DefaultValueFactory = _ => fallback,
        CustomParser = result => Parsed(result, name, min, max, ParseDouble, "a number"),
    };

    /// <summary>`--name X` without a default: null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string description, double min, double max = double.MaxValue) => new(name)
    {
        Description = description,
        HelpName = "X",
        CustomParser = result => Parsed(result, name, min, max, ParseDouble, "a number"),
    };

    /// <summary>`--name FILE` that must name an existing file.</summary>
    public static Option<FileInfo> ExistingFile(string name, string description, bool required = true)
    {
        var option = new Option<FileInfo>(name) { Description = description, HelpName = "FILE", Required = required };
        option.AcceptExistingOnly();
        return option;
    }

    /// <summary>`--name DIR`, created when missing.</summary>
    public static Option<DirectoryInfo> Folder(string name, string description, bool required = true, string? fallback = null)
    {
        var option = new Option<DirectoryInfo>(name) { Description = description, HelpName = "DIR", Required = required };
        if (fallback is not null)
        {
            option.DefaultValueFactory = _ => new DirectoryInfo(fallback);
        }
        return option;
    }

    /// <summary>Parses the option's last token with invariant culture and checks its range, naming the option in the error.</summary>
    public static T Parsed<T>(ArgumentResult result, string name, T min, T max, Func<string, T?> parse, string what) where T : struct, IComparable<T>
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (parse(text) is { } value && value.CompareTo(min) >= 0 && value.CompareTo(max) <= 0)
        {
            return value;
        }
        result.AddError($"{name} must be {what} {Range(Convert.ToDouble(min, CultureInfo.InvariantCulture), Convert.ToDouble(max, CultureInfo.InvariantCulture))}, not '{text}'.");
        return default;
    }

    private static double? ParseDouble(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value) ? value : null;

    private static string Range(double min, double max) => (min, max) switch
    {
        (double.Epsilon, double.MaxValue) => "above 0",
        (_, double.MaxValue or int.MaxValue) => $"of at least {Format(min)}",
        _ => $"from {Format(min)} to {Format(max)}",
    };

    private static string Format<T>(T value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
}
