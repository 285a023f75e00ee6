namespace PadKernel.Cli.Models;

/// <summary>The models <c>pad models pull</c> can download, with pinned checksums.</summary>
internal static class ModelCatalog
{
    /// <summary>The model used when none is named.</summary>
    public const string DefaultModel = "stories260K";

    /// <summary>Overrides every model's source folder (a mirror, or a local server in tests).</summary>
    public const string SourceVariable = "PADKERNEL_MODEL_SOURCE";

    public static IReadOnlyList<CatalogModel> All { get; } =
    [
        new CatalogModel(
            "stories260K",
            "Llama-2-architecture story model (260K parameters, vocab 512), llama2.c format, MIT — karpathy/tinyllamas",
            "https://huggingface.co/karpathy/tinyllamas/resolve/main/stories260K/",
            [
                new CatalogFile("stories260K.bin", "b0a507e7ad0f626624f17112325e66691f9076d622e1d3274d103d00299f2696"),
                new CatalogFile("tok512.bin", "037cb335abb25d1fa9e8ecae30ed2a3a8ace9302862ebcdc05d51a6bbb10c312"),
            ]),
    ];

    public static CatalogModel? Find(string name) =>
        All.FirstOrDefault(m => string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
}
