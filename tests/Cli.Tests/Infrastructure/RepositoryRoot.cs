namespace SecureDialogue.Cli.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the directory holding SecureDialogue.sln), and the build configuration.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    /// <summary>The configuration these tests were built with (bin/&lt;Configuration&gt;/net10.0).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent!.Name;

    /// <summary>A project's output assembly built with the same configuration, e.g. <c>Messaging</c>, <c>SecureDialogue.Messaging.dll</c>.</summary>
    public static string Output(string project, string assembly) =>
        System.IO.Path.Combine(Path, "src", project, "bin", Configuration, "net10.0", assembly);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SecureDialogue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecureDialogue.sln not found above " + AppContext.BaseDirectory);
    }
}
