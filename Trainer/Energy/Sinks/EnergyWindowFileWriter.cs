using System.Text.Json;
using GreenTrain.ServiceDefaults.Contracts;

namespace GreenTrain.Trainer.Energy.Sinks;

/// <summary>
/// Appends each closed window to the run folder's energy.jsonl and flushes it to disk at once, so a crash
/// loses at most the open window. Also writes energy-run.json. The format is in docs/energy-files.md.
/// </summary>
public sealed class EnergyWindowFileWriter : IEnergyWindowSink, IDisposable
{
    private readonly FileStream _stream;

    public EnergyWindowFileWriter(string runFolder)
    {
        Directory.CreateDirectory(runFolder);
        Folder = runFolder;
        _stream = new FileStream(Path.Combine(runFolder, EnergyFiles.WindowsFileName), FileMode.Append, FileAccess.Write, FileShare.Read);
    }

    public string Folder { get; }

    public void WriteRunInfo(EnergyRunInfo info)
    {
        var path = Path.Combine(Folder, EnergyFiles.RunInfoFileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(info, EnergyFiles.JsonOptions));
        File.Move(temporary, path, overwrite: true); // readers see the old file or the new one, never half of one
    }

    public void Append(EnergyWindow window)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(window, EnergyFiles.JsonOptions);
        _stream.Write(line);
        _stream.WriteByte((byte)'\n');
        _stream.Flush(flushToDisk: true);
    }

    public void Dispose() => _stream.Dispose();
}
