namespace GreenTrain.ServiceDefaults.Store;

/// <summary>Which server answers on the store connection; read from its INFO reply, never assumed.</summary>
public enum StoreKind
{
    Unknown,
    Redis,
    Garnet,
}
