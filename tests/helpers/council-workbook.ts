import ExcelJS from 'exceljs';

/**
 * A council's plan workbook as officers keep it: a cover sheet first, a title and version line above
 * the headings, merged priority, lead and date cells, a month-formatted date cell, "Ongoing" and "TBC",
 * a progress column headed with its month, a KPI sheet with month columns (one a date cell), people,
 * boards and settings sheets, and a column and a setting sendbot does not read.
 */
export async function councilWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const cover = wb.addWorksheet('Cover');
  cover.getCell('A1').value = 'Southshire Local Area Partnership';
  cover.getCell('A3').value = 'Written Statement of Action – improvement plan';

  const plan = wb.addWorksheet('Action plan');
  plan.getCell('A1').value = 'Southshire SEND Improvement Plan';
  plan.getCell('A2').value = 'Version 3 - updated November 2023';
  plan.getRow(4).values = ['Priority', 'Lead officer', 'Supported by', 'Key actions', 'Timescale', 'RAG', 'Progress update (Nov 23)', '% complete', 'Comments', 'Updated by'];
  // Priority 1 spans rows 5–7: priority, lead and timescale merged down.
  plan.getCell('A5').value = '1. Joint commissioning';
  plan.mergeCells('A5:A7');
  plan.getCell('B5').value = 'Head of Commissioning';
  plan.mergeCells('B5:B7');
  plan.getCell('E5').value = '31 March 24';
  plan.mergeCells('E5:E6');
  plan.getCell('D5').value = 'Agree a joint commissioning strategy';
  plan.getCell('F5').value = 'G';
  plan.getCell('G5').value = 'Strategy drafted; consultation closes in December';
  plan.getCell('H5').value = 0.6;
  plan.getCell('H5').numFmt = '0%';
  plan.getCell('D6').value = 'Publish the strategy';
  plan.getCell('F6').value = 'Amber';
  plan.getCell('D7').value = 'Review the therapy contracts (52 weeks in Sept 23)';
  plan.getCell('C7').value = 'Finance Lead';
  // Row 7's Timescale is blank but NOT merged: it says nothing, and takes nothing from above.
  // Priority 2: a month-formatted date, then "Ongoing" and "TBC", which never take a date from above.
  plan.getCell('A8').value = '2. Communication with families';
  plan.mergeCells('A8:A10');
  plan.getCell('B8').value = 'Parent Carer Forum Chair';
  plan.mergeCells('B8:B10');
  plan.getCell('D8').value = 'Relaunch the Local Offer website';
  plan.getCell('E8').value = new Date(Date.UTC(2024, 8, 1));
  plan.getCell('E8').numFmt = 'mmm-yy';
  plan.getCell('D9').value = 'Hold termly coffee mornings';
  plan.getCell('E9').value = 'Ongoing';
  plan.getCell('D10').value = 'Survey families about the Local Offer';
  plan.getCell('E10').value = 'TBC';
  plan.getCell('I10').value = 'Waiting on the comms team';

  const kpis = wb.addWorksheet('KPIs');
  kpis.getRow(1).values = ['KPI measures 2023/24'];
  kpis.getRow(3).values = ['Plan', 'KPI', 'Unit', 'Aug-23', 'Sep-23', null, 'Q3 23/24'];
  // An Excel date cell as a heading, shown as a month.
  kpis.getCell('F3').value = new Date(Date.UTC(2023, 9, 1));
  kpis.getCell('F3').numFmt = 'mmm-yy';
  kpis.getRow(4).values = ['Southshire SEND Improvement Plan', 'EHC plans issued within 20 weeks', '%', '48%', '52%', '55%', '57%'];

  const people = wb.addWorksheet('People');
  people.addRow(['Name', 'Email', 'Role(s)', 'Slack ID', 'Admin']);
  people.addRow(['Cara Commissioner', 'cara@southshire.example', 'Head of Commissioning', 'U0CARA', 'yes']);
  people.addRow(['Pat Parent', 'pat@pcf.example', 'Parent Carer Forum Chair', '', 'no']);

  const boards = wb.addWorksheet('Boards');
  boards.addRow(['Board', 'Chair (role)', 'Slack channel', 'Update window (working days)', 'Reminder (working days)', 'Papers (working days)', 'Meeting dates']);
  boards.addRow(['SEND Partnership Board', 'Director of Children’s Services', 'C0BOARD', 8, 4, 3, '2024-01-17 14:00; 2024-03-20 14:00']);

  const settings = wb.addWorksheet('Settings');
  settings.addRow(['Setting', 'Value']);
  settings.addRow(['Partnership name', 'Southshire Local Area Partnership']);
  settings.addRow(['Programme channel', 'C0PROG']);
  settings.addRow(['Office hours', '08:30-17:00']);
  settings.addRow(['Autumn term 2024', '3 Sep 2024 to 20 Dec 2024']);
  settings.addRow(['Favourite colour', 'teal']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

