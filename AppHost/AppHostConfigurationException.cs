namespace GreenTrain.AppHost;

/// <summary>A setting the AppHost cannot work with; the message names the setting and what to do.</summary>
public sealed class AppHostConfigurationException(string setting, string problem)
    : Exception($"Setting '{setting}': {problem}")
{
    public string Setting { get; } = setting;
}
