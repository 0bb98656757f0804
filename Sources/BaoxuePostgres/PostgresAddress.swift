import Foundation
import PostgresNIO

/// Where a relay's PostgreSQL is, from a connection URL as libpq writes it:
/// `postgresql://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, or over a Unix socket
/// `postgresql://USER@/DATABASE?host=/run/postgresql` (the folder holding `.s.PGSQL.PORT`).
///
/// Invariant: user and database are never empty; a socket path is absolute.
public struct PostgresAddress: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        case socket(path: String)
    }
    public let endpoint: Endpoint
    public let user: String
    public let password: String?
    public let database: String

    /// Parses `url`; throws `PostgresLogError.invalidAddress` naming what is wrong.
    public init(_ url: String) throws(PostgresLogError) {
        guard let parts = URLComponents(string: url), ["postgresql", "postgres"].contains(parts.scheme ?? "") else {
            throw .invalidAddress("expected postgresql://USER@HOST[:PORT]/DATABASE, got \(url)")
        }
        guard let user = parts.user, !user.isEmpty else { throw .invalidAddress("no user in \(url)") }
        let database = String(parts.path.drop { $0 == "/" })
        guard !database.isEmpty, !database.contains("/") else { throw .invalidAddress("no database in \(url)") }
        let port = parts.port ?? 5432
        guard (1...65_535).contains(port) else { throw .invalidAddress("port \(port) in \(url)") }
        if let folder = parts.queryItems?.first(where: { $0.name == "host" })?.value {
            guard folder.hasPrefix("/") else { throw .invalidAddress("the socket folder must be absolute: \(folder)") }
            endpoint = .socket(path: folder + "/.s.PGSQL.\(port)")
        } else {
            guard let host = parts.host, !host.isEmpty else { throw .invalidAddress("no host in \(url)") }
            endpoint = .tcp(host: host, port: port)
        }
        self.user = user
        password = parts.password
        self.database = database
    }

    /// A client for this address (run it with `client.run()`), with a pool of `connections`.
    public func client(connections: Int = 16) -> PostgresClient {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .tcp(let host, let port):
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: .disable)
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        }
        configuration.options.maximumConnections = connections
        return PostgresClient(configuration: configuration)
    }
}
