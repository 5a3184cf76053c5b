package dev.tally.billing.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/** Maps a ledger row (its columns by name, as {@link LedgerDao#entry} reads them) for SqlObject DAOs. */
public final class LedgerEntryMapper implements RowMapper<LedgerEntry> {

    @Override
    public LedgerEntry map(ResultSet rs, StatementContext ctx) throws SQLException {
        return LedgerDao.entry(rs);
    }
}
