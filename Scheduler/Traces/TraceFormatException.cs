namespace GreenTrain.Scheduler.Traces;

/// <summary>A trace file that cannot be read as intensities; the message names the file, the line and what was wrong.</summary>
public sealed class TraceFormatException(string message) : Exception(message);
