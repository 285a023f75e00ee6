using PadKernel.OnnxRuntime.Models;

namespace PadKernel.OnnxRuntime.Tests;

/// <summary>
/// The thread count of a model's ONNX Runtime session, read back from the operating system: ONNX Runtime's intra-op
/// pool of n threads starts n − 1 worker threads when the session is created, and a native thread inherits the name of
/// the thread that created it, so loading on a thread with a unique name lets its workers be counted (Linux /proc).
/// Loading also starts a short-lived thread (gone within milliseconds), so the count is awaited down to the expected
/// value, which it never passes below.
/// </summary>
public sealed class IntraOpThreadsTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("padkernel-threads-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void IntraOpThreads_Option_IsTheSessionsThreadCount(int threads)
    {
        using OnnxModel model = LoadExpectingWorkers(TestModels.Path(TestModels.Stories), new OnnxRuntimeOptions { IntraOpThreads = threads }, threads - 1);
        Assert.Equal(threads, model.IntraOpThreads);
    }

    [Fact]
    public void IntraOpThreads_SetByTheFolder_IsTheSessionsThreadCountUnlessTheOptionIsSet()
    {
        TestModels.Copy(TestModels.Stories, folder);
        TestModels.EditJson(Path.Combine(folder, GenAIConfig.FileName), config => config["model"]!["decoder"]!["session_options"]!["intra_op_num_threads"] = 2);

        using (OnnxModel model = LoadExpectingWorkers(folder, new OnnxRuntimeOptions(), 1))
        {
            Assert.Equal(2, model.IntraOpThreads);
        }

        using (OnnxModel model = LoadExpectingWorkers(folder, new OnnxRuntimeOptions { IntraOpThreads = 4 }, 3))
        {
            Assert.Equal(4, model.IntraOpThreads);
        }
    }

    [Fact]
    public void IntraOpThreads_Unset_IsOneBelow64MiBAndOnePerCoreAbove()
    {
        GenAIConfig config = GenAIConfig.Load(TestModels.Path(TestModels.Stories));
        string onnx = Path.Combine(folder, "model.onnx");
        using (FileStream file = File.Create(onnx))
        {
            file.SetLength((64L << 20) - 1);
        }

        Assert.Equal(1, OnnxModelLoader.IntraOpThreads(new OnnxRuntimeOptions(), config, onnx));

        // Weights in external data count: a small .onnx with 64 MiB beside it is a large model (sparse files, no disk used).
        using (FileStream data = File.Create(onnx + ".data"))
        {
            data.SetLength(1);
        }

        Assert.Equal(Environment.ProcessorCount, OnnxModelLoader.IntraOpThreads(new OnnxRuntimeOptions(), config, onnx));
        Assert.Equal(5, OnnxModelLoader.IntraOpThreads(new OnnxRuntimeOptions { IntraOpThreads = 5 }, config, onnx));
        Assert.Equal(2, OnnxModelLoader.IntraOpThreads(new OnnxRuntimeOptions(), config with { Decoder = config.Decoder with { IntraOpThreads = 2 } }, onnx));
    }

    [Fact]
    public void IntraOpThreads_Negative_IsRejectedNamingTheOption()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxModel.Load(TestModels.Path(TestModels.Stories), new OnnxRuntimeOptions { IntraOpThreads = -1 }));
        Assert.Contains(nameof(OnnxRuntimeOptions.IntraOpThreads), error.Message, StringComparison.Ordinal);
    }

    private static OnnxModel LoadExpectingWorkers(string path, OnnxRuntimeOptions options, int expected)
    {
        // The first model of the process also starts GenAI's and ONNX Runtime's global threads: not counted.
        _ = TestModels.Get(TestModels.Stories);
        string name = "pad" + Guid.NewGuid().ToString("N")[..10];
        OnnxModel? model = null;
        Exception? error = null;
        var loader = new Thread(() =>
        {
            try
            {
                model = OnnxModel.Load(path, options);
            }
            catch (Exception ex)
            {
                error = ex;
            }
        })
        { Name = name };
        loader.Start();
        loader.Join();
        if (error is not null)
        {
            throw error;
        }

        int workers = Threads(name);
        for (int wait = 0; workers > expected && wait < 200; wait++)
        {
            Thread.Sleep(50);
            workers = Threads(name);
        }

        try
        {
            Assert.Equal(expected, workers);
            return model!;
        }
        catch
        {
            model!.Dispose();
            throw;
        }
    }

    private static int Threads(string name) => Directory.GetDirectories("/proc/self/task").Count(task =>
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).Trim() == name;
        }
        catch (IOException)
        {
            return false; // the thread ended while the list was read
        }
    });
}
