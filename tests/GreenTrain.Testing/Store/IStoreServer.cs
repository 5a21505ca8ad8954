namespace GreenTrain.Testing.Store;

/// <summary>A real store server owned by a test: started on a free loopback port, restartable, removed on dispose.</summary>
public interface IStoreServer : IAsyncDisposable
{
    /// <summary>"redis" or "garnet": the name tests use in theory data.</summary>
    string Kind { get; }

    string ConnectionString { get; }

    /// <summary>Stops the server and starts it again on the same port and data folder.</summary>
    Task RestartAsync();
}
