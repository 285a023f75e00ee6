namespace PadKernel.Cli.Models;

/// <summary>A model <c>pad models pull</c> knows how to fetch: its files, where they live and their checksums.</summary>
/// <param name="Name">The name users type (<c>stories260K</c>).</param>
/// <param name="Description">One line for <c>pad models list</c>.</param>
/// <param name="SourceUrl">The folder URL the files are fetched from.</param>
/// <param name="Files">The files with their pinned sha256.</param>
internal sealed record CatalogModel(string Name, string Description, string SourceUrl, IReadOnlyList<CatalogFile> Files);

/// <summary>One file of a catalog model.</summary>
/// <param name="Name">The file name, both at the source and on disk.</param>
/// <param name="Sha256">The expected lowercase hex sha256.</param>
internal sealed record CatalogFile(string Name, string Sha256);
