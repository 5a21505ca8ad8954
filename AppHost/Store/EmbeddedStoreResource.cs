namespace GreenTrain.AppHost.Store;

/// <summary>
/// The embedded Garnet store as a dashboard resource: it has a state, a health check and a connection
/// string like any other, although it runs inside the AppHost process rather than as its own process.
/// </summary>
public sealed class EmbeddedStoreResource(string name, string dataPath, int port, ParameterResource password)
    : Resource(name), IResourceWithConnectionString
{
    public string DataPath { get; } = dataPath;

    public int Port { get; } = port;

    public ParameterResource Password { get; } = password;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"127.0.0.1:{Port.ToString(System.Globalization.CultureInfo.InvariantCulture)},password={Password}");
}
