using System.Diagnostics;
using GraphDL.IR;
using GraphDL.Runtime.Serialization;

namespace GraphDL.Tests.Serialization;

/// <summary>
/// A process killed with SIGKILL while it saves a checkpoint leaves the previous checkpoint whole: a child process
/// (a <c>graphdl compile</c> script) saves an 8 MB model over and over, each version filled with its own number, and
/// is killed while a save is under way; the file must then load and hold one version throughout.
/// </summary>
public sealed class CheckpointKillTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("graphdl-kill-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AKillDuringASaveLeavesTheOldFileIntact()
    {
        var path = Path.Combine(_dir, "model.safetensors");
        var script = Path.Combine(_dir, "saver.csx");
        File.WriteAllText(script, $$"""
            var model = new Linear(2048, 1024);
            for (long version = 0; ; version++)
            {
                foreach (var p in model.Parameters())
                {
                    p.Data = HostTensor.Full(p.Type, Scalar.FromDouble(DType.F32, version));
                }
                Console.Out.WriteLine($"begin {version}");
                Console.Out.Flush();
                model.Save(@"{{path}}", new Dictionary<string, string> { ["version"] = version.ToString("D6") });
            }
            """);
        var cli = Path.Combine(AppContext.BaseDirectory, "graphdl.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(cli);
        start.ArgumentList.Add("compile");
        start.ArgumentList.Add(script);
        using var child = Process.Start(start)!;
        child.ErrorDataReceived += (_, _) => { };
        child.BeginErrorReadLine();
        long announced = -1;
        bool midSave = false;
        try
        {
            var deadline = DateTime.UtcNow.AddMinutes(3);
            while (announced < 2 && DateTime.UtcNow < deadline)
            {
                var line = child.StandardOutput.ReadLine() ?? throw new InvalidOperationException($"the saver exited with {child.ExitCode} before its third save");
                if (line.StartsWith("begin ", StringComparison.Ordinal))
                {
                    announced = long.Parse(line["begin ".Length..]);
                }
            }
            Assert.True(announced >= 2, "the saver did not reach its third save in time");
            // Two saves are done, so the file has its full length. Kill the saver the moment a save is under way: its
            // temporary file exists, or (a writer that is not atomic) the file itself is short.
            long length = new FileInfo(path).Length;
            while (!midSave && DateTime.UtcNow < deadline)
            {
                midSave = Directory.GetFiles(_dir, "*.tmp").Length > 0 || new FileInfo(path).Length != length;
            }
            Assert.True(midSave, "never caught the saver in the middle of a save");
        }
        finally
        {
            child.Kill();                                   // SIGKILL: no finally blocks, no flushing, in the middle of a save
            child.WaitForExit();
        }

        // The file is a whole checkpoint of the last version saved (or of the one being saved, had it finished).
        var file = Safetensors.Load(path);
        long version = long.Parse(file.Metadata["version"]);
        Assert.True(version >= 1, $"version {version}");
        foreach (var (name, tensor) in file.Tensors)
        {
            Assert.True(tensor.ToArray<float>().All(v => v == version), $"{name} mixes versions");
        }
        var model = new Linear(2048, 1024);
        model.Load(path);
    }
}
