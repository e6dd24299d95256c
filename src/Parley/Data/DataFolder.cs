namespace Parley.Data;

/// <summary>
/// The data folder holds every tenant's messages and password hashes: on Unix a folder Parley makes is the
/// owner's alone (0700), and the SQLite file, its <c>-wal</c> and <c>-shm</c>, and the admin key file are
/// 0600. A folder that already exists is the operator's choice and is left as it is (it may be shared, such
/// as <c>/tmp</c>); the files in it are Parley's own and are tightened.
/// </summary>
public static class DataFolder
{
    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Ensure(string folder)
    {
        if (Directory.Exists(folder))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
            return;
        }

        Directory.CreateDirectory(folder, OwnerOnlyFolder);
    }

    /// <summary>Creates the database file empty and owner-only before SQLite first opens it (an empty file is
    /// an empty database), so it is never readable by others, not even for a moment; SQLite gives the
    /// <c>-wal</c> and <c>-shm</c> it makes the database file's mode. Files made by an earlier version are
    /// tightened.</summary>
    public static void ProtectSqliteFiles(string databasePath)
    {
        if (databasePath == ":memory:" || OperatingSystem.IsWindows())
        {
            return;
        }

        if (Path.GetDirectoryName(databasePath) is { Length: > 0 } folder)
        {
            Ensure(folder);
        }

        if (!File.Exists(databasePath))
        {
            using var created = new FileStream(databasePath, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnlyFile,
            });
        }

        foreach (var path in new[] { databasePath, databasePath + "-wal", databasePath + "-shm", databasePath + "-journal" })
        {
            if (File.Exists(path) && File.GetUnixFileMode(path) != OwnerOnlyFile)
            {
                File.SetUnixFileMode(path, OwnerOnlyFile);
            }
        }
    }

    /// <summary>Writes a secret file that only the owner can read, from its first byte.</summary>
    public static void WriteSecret(string path, string contents)
    {
        if (Path.GetDirectoryName(path) is { Length: > 0 } folder)
        {
            Ensure(folder);
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnlyFile;
        }

        using var stream = new FileStream(path, options);
        using var writer = new StreamWriter(stream);
        writer.Write(contents);
    }
}
