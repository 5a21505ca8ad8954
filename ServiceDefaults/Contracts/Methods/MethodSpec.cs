namespace GreenTrain.ServiceDefaults.Contracts.Methods;

/// <summary>
/// One entry of training.methods: an efficiency method the Trainer applies during training. The JSON
/// form names its kind ({ "kind": "magnitude-pruning", ... }); MethodSpecRegistry maps each kind to its
/// record, so a new method adds a record and one registry line, and validation and parsing follow.
/// </summary>
public abstract record MethodSpec
{
    /// <summary>The bad fields of this entry, each as (field name in camelCase, what is wrong).</summary>
    public abstract IEnumerable<(string Field, string Message)> Validate();

    /// <summary>A fraction of the run (0..1) is valid when it is a number in [low, high].</summary>
    protected static bool IsFraction(double value, double low = 0, double high = 1) => value >= low && value <= high;
}
