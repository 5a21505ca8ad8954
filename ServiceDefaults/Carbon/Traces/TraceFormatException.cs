namespace GreenTrain.ServiceDefaults.Carbon.Traces;

/// <summary>A trace file that cannot be read as intensities; the message names the file, the line and what was wrong.</summary>
/// <remarks>A <see cref="FormatException"/>, so callers that already refuse bad input by that type refuse a bad trace too.</remarks>
public sealed class TraceFormatException(string message) : FormatException(message);
