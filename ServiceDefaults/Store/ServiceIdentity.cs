namespace GreenTrain.ServiceDefaults.Store;

/// <summary>
/// The service's name as the AppHost knows it (its resource name, passed as OTEL_SERVICE_NAME),
/// or the application name when run alone.
/// </summary>
public sealed record ServiceIdentity(string Name);
