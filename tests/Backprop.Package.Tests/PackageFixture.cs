using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace Backprop.Package.Tests;

/// <summary>
/// Packs src/Backprop once into a temporary local feed. The consumer projects restore into their own
/// packages folder, so a package from an earlier run can never stand in for this one.
/// </summary>
public sealed class PackageFixture : IDisposable
{
    public PackageFixture()
    {
        Root = Directory.CreateTempSubdirectory("backprop-package-").FullName;
        Feed = Directory.CreateDirectory(Path.Combine(Root, "feed")).FullName;
        PackagesFolder = Directory.CreateDirectory(Path.Combine(Root, "packages")).FullName;
        DotnetCli.Run(RepositoryRoot(), null, "pack", "src/Backprop/Backprop.csproj", "-c", "Release", "-o", Feed);
        PackagePath = Directory.GetFiles(Feed, "Backprop.Generator.*.nupkg").Single();
        Version = Path.GetFileNameWithoutExtension(PackagePath)["Backprop.Generator.".Length..];
    }

    public string Root { get; }

    public string Feed { get; }

    public string PackagesFolder { get; }

    public string PackagePath { get; }

    public string Version { get; }

    public ZipArchive OpenPackage() => ZipFile.OpenRead(PackagePath);

    /// <summary>Creates a console project outside the repository that takes the package by PackageReference only.</summary>
    public string CreateConsumer(string name, string program, string extraProperties = "", string extraItems = "")
    {
        string directory = Directory.CreateDirectory(Path.Combine(Root, name)).FullName;
        File.WriteAllText(Path.Combine(directory, name + ".csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{PackagesFolder}</RestorePackagesPath>
                {extraProperties}
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Backprop.Generator" Version="{Version}" />
                {extraItems}
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="backprop-local" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Program.cs"), program);
        return directory;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temporary folder is the system's to clean.
        }
    }

    internal static string RepositoryRoot([CallerFilePath] string here = "")
        => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
